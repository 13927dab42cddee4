package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Issue 15, acceptance 4: {@code octohost.yml}, a build file per branch: stages run in the new image
 * before the switch, artifacts kept with the build record, a branch's own Dockerfile, and a malformed
 * file failing the build with its line.
 */
@Tag("docker")
class OctohostYmlTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path tmp;

    @Test
    void aFailingStageRejectsThePushKeepsTheOldVersionAndItsOutputIsInTheBuildLog() {
        String good = Content.unique("ymlfail good");
        AppRepo app = octohost.deployed("ymlfail", good);
        String goodSha = app.head();

        app.staticSite(Content.unique("ymlfail never served")).write("octohost.yml", String.join("\n",
                "default:",
                "  stages:",
                "    - name: unit",
                "      run: echo unit-tests-pass",
                "    - name: check",
                "      run: echo checking-the-site; test -f /www/missing.html",
                "      timeout: 2m",
                ""));
        app.commit("a failing stage");
        PushResult push = app.push("master");

        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("[remote rejected] master -> master"), push::describe);
        assertTrue(push.output().lines().anyMatch(l -> l.startsWith("remote: ") && l.contains("[unit] unit-tests-pass")), push::describe);
        assertTrue(push.output().lines().anyMatch(l -> l.startsWith("remote: ") && l.contains("[check] checking-the-site")), push::describe);
        assertTrue(push.output().contains("stage 'check' failed: exit code 1"), push::describe);
        assertEquals(goodSha, app.remoteRefs().get("refs/heads/master"));
        assertEquals(good, octohost.get("ymlfail").bodyText());
        assertEquals(goodSha, Docker.label(octohost.onlyContainer("ymlfail"), "octohost.commit"));

        JsonNode build = latestBuild("ymlfail");
        assertEquals("failed", build.path("status").asText());
        assertEquals("stage 'check' failed: exit code 1", build.path("reason").asText());
        String log = octohost.octo(null, "builds:logs", "ymlfail", build.path("id").asText()).orFail().output();
        assertTrue(log.contains("-----> Stage check: echo checking-the-site; test -f /www/missing.html")
                && log.contains("[check] checking-the-site"), log);
        Await.until("no stage container left", Duration.ofSeconds(30), () -> octohost.buildContainers("ymlfail"), List::isEmpty);
    }

    @Test
    void passingStagesThenArtifactsKeptByteExactOverHttpAndOcto() throws IOException {
        AppRepo app = octohost.deployed("ymlok", Content.unique("ymlok v1"));
        String secret = Secrets.planted("stage-env");
        octohost.octo(null, "config:set", "ymlok", "API_SECRET=" + secret).orFail();
        byte[] blob = new byte[70_000];
        new Random(15).nextBytes(blob);
        for (int i = 0; i < 256; i++) {
            blob[i] = (byte) i; // every byte value, NUL and 0xFF included
        }
        String page = Content.unique("ymlok v2");
        app.staticSite(page).write("www/blob.bin", blob).write("octohost.yml", String.join("\n",
                "# the app's build file",
                "default:",
                "  stages:",
                "    - name: env",
                "      run: test -n \"$API_SECRET\" && echo the-app-config-is-there",
                "  artifacts:",
                "    - name: blob",
                "      path: /www/blob.bin",
                "    - name: site",
                "      path: /www",
                "  tag: stable",
                ""));
        String sha = app.commit("stages and artifacts");
        PushResult push = app.push("master");
        assertEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("[env] the-app-config-is-there"), push::describe);
        assertTrue(!push.output().contains(secret), "the config value never reaches the pusher");
        assertEquals(page, octohost.get("ymlok").bodyText());
        assertEquals(sha, Docker.label(octohost.awaitOnlyContainer("ymlok"), "octohost.commit"));

        JsonNode build = latestBuild("ymlok");
        String id = build.path("id").asText();
        assertEquals("succeeded", build.path("status").asText());
        String admin = token("ymlok-admin");
        HttpResponse<byte[]> listed = get("/v1/apps/ymlok/builds/" + id + "/artifacts", admin);
        assertEquals(200, listed.statusCode());
        JsonNode list = Json.parse(new String(listed.body(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("blob", "site"), List.of(list.get(0).path("name").asText(), list.get(1).path("name").asText()));
        assertEquals(blob.length, list.get(0).path("bytes").asLong());

        // over HTTP: the bytes as they are in the image; a directory as a tar of it
        HttpResponse<byte[]> got = get("/v1/apps/ymlok/builds/" + id + "/artifacts/blob", admin);
        assertEquals(200, got.statusCode());
        assertEquals("application/octet-stream", got.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(blob, got.body());
        byte[] site = get("/v1/apps/ymlok/builds/" + id + "/artifacts/site", admin).body();
        String tarListing = tarList(site);
        assertTrue(tarListing.contains("www/index.html") && tarListing.contains("www/blob.bin"), tarListing);
        assertEquals(404, get("/v1/apps/ymlok/builds/" + id + "/artifacts/nope", admin).statusCode());

        // READ on the app: a deploy token of the app may, one of another app may not
        assertArrayEquals(blob, get("/v1/apps/ymlok/builds/" + id + "/artifacts/blob", token("ymlok-reader", "--role", "deploy", "--app", "ymlok")).body());
        assertEquals(403, get("/v1/apps/ymlok/builds/" + id + "/artifacts/blob", token("ymlok-stranger", "--role", "deploy", "--app", "other")).statusCode());

        // via octo: listed, and the bytes to standard output unchanged
        String names = octohost.octo(null, "builds:artifacts", "ymlok", id).orFail().output();
        assertTrue(names.matches("(?s)NAME +BYTES\nblob +" + blob.length + "\nsite +\\d+\n"), names);
        Path out = tmp.resolve("blob-via-octo.bin");
        Proc.Result r = Proc.of("sh", "-c", "\"$0\" -jar \"$1\" --api-socket \"$2\" builds:artifacts ymlok \"$3\" blob > \"$4\"",
                Octohost.java(), octohost.octoJar().toString(), octohost.apiSocket().toString(), id, out.toString())
                .timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, r.exitCode(), r::describe);
        assertArrayEquals(blob, Files.readAllBytes(out));

        // the extra tag sits in the app's own image namespace, on the image that runs
        String image = Proc.of("docker", "inspect", "--format", "{{.Image}}", octohost.awaitOnlyContainer("ymlok"))
                .timeout(Duration.ofSeconds(30)).run().orFail().trimmed();
        assertEquals(image, Docker.imageId("octohost-app/" + octohost.instanceId() + "/ymlok:stable"));
    }

    @Test
    void aMalformedBuildFileFailsTheBuildAndItsLogNamesTheLine() {
        String good = Content.unique("ymlbad good");
        AppRepo app = octohost.deployed("ymlbad", good);
        app.write("octohost.yml", "default:\n  stages:\n    - name: test\n      rnu: make test\n").commit("a typo");
        PushResult push = app.push("master");

        String reason = "octohost.yml line 4: unknown key 'rnu' in default.stages[0] (known: name, run, timeout)";
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains(reason), push::describe);
        JsonNode build = latestBuild("ymlbad");
        assertEquals("failed", build.path("status").asText());
        assertEquals(reason, build.path("reason").asText());
        assertTrue(octohost.octo(null, "builds:logs", "ymlbad", build.path("id").asText()).orFail().output().contains(reason));
        assertEquals(good, octohost.get("ymlbad").bodyText());
    }

    @Test
    void aBranchSectionBuildsItsOwnDockerfile() {
        AppRepo app = octohost.app("ymlbranch");
        String main = Content.unique("ymlbranch main");
        String feature = Content.unique("ymlbranch feature");
        app.staticSite(main)
                .write("feature-www/index.html", feature)
                .write("docker/Dockerfile.feature", AppRepo.STATIC_SITE_DOCKERFILE.replace("COPY www /www", "COPY feature-www /www"))
                .write("octohost.yml", "default:\n  tag: main\nbranches:\n  feature:\n    dockerfile: docker/Dockerfile.feature\n");
        app.deploy("master", main);
        app.branch("feature").deploy("feature", feature);
        assertEquals(main, octohost.get("ymlbranch").bodyText(), "master still builds the default Dockerfile");
    }

    private JsonNode latestBuild(String app) {
        return Json.parse(octohost.octo(null, "builds", app, "--json").orFail().output()).get(0);
    }

    private String token(String name, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("tokens:create", name));
        cmd.addAll(List.of(args));
        return octohost.octo(null, cmd.toArray(String[]::new)).orFail().trimmed();
    }

    private HttpResponse<byte[]> get(String path, String token) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + octohost.httpApiPort() + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String tarList(byte[] tar) throws IOException {
        Path file = Files.createTempFile(tmp, "site-", ".tar");
        Files.write(file, tar);
        return Proc.of("tar", "-tf", file.toString()).timeout(Duration.ofSeconds(30)).run().orFail().output();
    }
}
