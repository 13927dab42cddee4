package io.octohost.e2e.api;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Secrets;
import io.octohost.e2e.Json;
import io.octohost.e2e.releases.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, acceptance 4 and the seed body of acceptance 1: seed 004's own request, copied from the
 * seed with only its URLs changed, pulls an image from a real docker-registry with htpasswd auth and
 * runs it without a build, and pushes it to a destination with auth; a built image goes to its
 * destination too. The password shows nowhere: not in octod's log, the build's log or record, or ps.
 */
@Tag("docker")
class ImageBuildsTest {
    private static final String USER = "shuttle";
    private static final String PASSWORD = Secrets.planted("registry");
    private static final String HOOK_TOKEN = Secrets.planted("hook");
    private static final String LOGS_PASSWORD = Secrets.planted("logs");
    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    @RegisterExtension
    static final ApiScenario scenario = new ApiScenario(octohost);
    private static Path dir;
    private static RegistryServer registry;
    private static String imagePage;
    private final CallbackReceiver receiver = scenario.receiver();
    private final BuildApi api = scenario.api();
    private final String admin = scenario.admin();

    @BeforeAll
    static void start() throws IOException {
        RegistryServer.ensureInstalled();
        dir = Files.createTempDirectory("octohost-e2e-images-");
        registry = RegistryServer.start(dir.resolve("registry"), Octohost.freePort(), USER, PASSWORD);
        imagePage = Content.unique("the image's own page");
        pushImage(registry.address() + "/org/repo:tag", imagePage);
    }

    /** Builds a static site image with the docker CLI, pushes it with a login of its own, and drops the local copy. */
    private static void pushImage(String ref, String page) throws IOException {
        Path context = Files.createDirectories(dir.resolve("image"));
        Files.writeString(context.resolve("Dockerfile"), AppRepo.STATIC_SITE_DOCKERFILE);
        Files.createDirectories(context.resolve("www"));
        Files.writeString(context.resolve("www/index.html"), page);
        Path config = Files.createDirectories(dir.resolve("docker-config"));
        Proc.of("docker", "build", "-q", "--label", "octohost.e2e=" + octohost.instanceId(), "-t", ref, context.toString())
                .timeout(Duration.ofMinutes(2)).run().orFail();
        Proc.of("docker", "--config", config.toString(), "login", "-u", USER, "--password-stdin", registry.address())
                .stdin(PASSWORD.getBytes(StandardCharsets.UTF_8)).run().orFail();
        Proc.of("docker", "--config", config.toString(), "push", ref).timeout(Duration.ofMinutes(2)).run().orFail();
        Proc.of("docker", "rmi", ref).run().orFail();
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
        Docker.removeImages("octohost.e2e=" + octohost.instanceId());
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Seed 004's first request, character for character, with its URLs made to point here. */
    private String seedBody(String source, String destination) {
        return String.join("\n",
                "{",
                "  \"webhooks\":{",
                "    \"status\":\"" + receiver.url(HOOK_TOKEN, "/status/seed") + "\",",
                "    \"logs\":\"" + receiver.url("user:" + LOGS_PASSWORD, "/logs/seed") + "\",",
                "  },",
                "  \"metadata\":\"deploymentt-namespacce\",",
                "  \"human_readable_info\":\"Build #3 - https://example.com/repo.git sha #abcdef134\",",
                "  \"arguments\":{\"X\":\"Y\"},",
                "  \"source\":{",
                "    \"url\":\"" + source + "\",",
                "  },",
                "  \"destination\":{",
                "    \"image\":\"" + destination + "\",",
                "  },",
                "}");
    }

    private static String docker(String password, String path) {
        return "docker://" + USER + ":" + password + "@" + registry.address() + "/" + path;
    }

    private static List<String> processes() {
        return Proc.of("ps", "-eo", "args").run().orFail().output().lines().toList();
    }

    @Test
    void seedBodyPullsAnImageWithAuthRunsItWithoutABuildAndPushesItToItsDestination() throws IOException {
        octohost.deployed("img", Content.unique("img v1"));
        assertEquals(404, registry.manifestStatus("org/copy", "tag", USER, PASSWORD));

        HttpResponse<String> accepted = api.call("POST", "/v1/shuttle/img/seed", admin,
                seedBody(docker(PASSWORD, "org/repo:tag"), docker(PASSWORD, "org/copy:tag")));
        assertEquals(200, accepted.statusCode(), accepted.body());
        List<String> duringTheBuild = processes();

        Map<String, Object> seed = api.awaitEnd("img", "seed", admin, BUILD_TIMEOUT);
        assertEquals("succeeded", seed.get("status"), () -> api.log("img", "seed", admin));
        assertEquals(imagePage, octohost.get("img").bodyText());
        String log = api.log("img", "seed", admin);
        assertTrue(log.contains("-----> Pulling " + registry.address() + "/org/repo:tag"), log);
        assertFalse(log.contains("Building img") || log.contains("Step 1/"), "an image source was built:\n" + log);
        assertTrue(log.contains("-----> Pushing " + registry.address() + "/org/copy:tag"), log);
        assertEquals(200, registry.manifestStatus("org/copy", "tag", USER, PASSWORD), registry::log);
        Map<String, Object> app = Json.object(Json.parse(api.call("GET", "/v1/apps/img", admin, null).body()));
        assertNull(app.get("commit"), "an image source has no commit");
        assertEquals("docker://" + registry.address() + "/org/repo:tag", seed.get("source"));
        assertEquals("deploymentt-namespacce", seed.get("metadata"));
        assertEquals(List.of("pending", "queued", "building", "succeeded"),
                Await.until("four statuses", Duration.ofSeconds(30), () -> receiver.statuses("seed"), s -> s.size() >= 4));

        // a wrong password: the build fails with the registry's reason, and the image keeps serving
        String wrong = Secrets.planted("wrong");
        String badId = scenario.build("img", docker(wrong, "org/repo:tag"));
        Map<String, Object> bad = api.awaitEnd("img", badId, admin, BUILD_TIMEOUT);
        assertEquals("failed", bad.get("status"));
        String reason = ((String) bad.get("reason")).toLowerCase();
        assertTrue(reason.startsWith("pulling " + registry.address() + "/org/repo:tag failed") && (reason.contains("unauthorized")
                || reason.contains("authentication required") || reason.contains("no basic auth")), reason);
        assertEquals(imagePage, octohost.get("img").bodyText());

        // a built image goes to its destination too
        String page = Content.unique("built and pushed");
        String source = scenario.site("img", page);
        String id = BuildApi.idOf(api.call("POST", "/v1/apps/img/builds", admin, "{\"source\": {\"url\": " + BuildApi.quote(source)
                + "}, \"destination\": {\"url\": " + BuildApi.quote(docker(PASSWORD, "org/built:2")) + "}}"));
        assertEquals("succeeded", api.awaitEnd("img", id, admin, BUILD_TIMEOUT).get("status"), () -> api.log("img", id, admin));
        assertEquals(page, octohost.get("img").bodyText());
        assertEquals(200, registry.manifestStatus("org/built", "2", USER, PASSWORD), registry::log);

        // no password anywhere
        for (String secret : List.of(PASSWORD, wrong)) {
            assertFalse(Files.readString(octohost.octodLog()).contains(secret), "a password in octod's log");
            for (String build : List.of("seed", badId, id)) {
                assertFalse(api.log("img", build, admin).contains(secret), "a password in the log of " + build);
                assertFalse(api.call("GET", "/v1/apps/img/builds/" + build, admin, null).body().contains(secret), "a password in a record");
            }
            assertFalse(duringTheBuild.stream().anyMatch(p -> p.contains(secret)), "a password in ps: " + duringTheBuild);
            assertFalse(processes().stream().anyMatch(p -> p.contains(secret)), "a password in ps");
        }
        assertFalse(Files.readString(octohost.octodLog()).contains(HOOK_TOKEN) || Files.readString(octohost.octodLog()).contains(LOGS_PASSWORD),
                "callback credentials in octod's log");
    }
}
