package io.octohost.e2e.releases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, acceptance 5: with --registry pointing at a real docker-registry with htpasswd auth, a
 * push puts the release's image in the registry; a wrong password fails the push cleanly, the old
 * version keeps serving, and the password shows nowhere.
 */
@Tag("docker")
class RegistryTest {
    private static final String USER = "octohost-e2e";
    private static final String PASSWORD = Secrets.planted("registry");
    private static final int PORT = Octohost.freePort();

    @RegisterExtension
    static final Octohost octohost = Octohost.builder()
            .extraArgs("--registry", "127.0.0.1:" + PORT)
            .env("OCTOD_REGISTRY_USER", USER)
            .env("OCTOD_REGISTRY_PASSWORD", PASSWORD)
            .build();

    private static Path dir;
    private static RegistryServer registry;

    @BeforeAll
    static void startRegistry() throws IOException {
        RegistryServer.ensureInstalled();
        dir = Files.createTempDirectory("octohost-e2e-registry-");
        registry = RegistryServer.start(dir, PORT, USER, PASSWORD);
    }

    @AfterAll
    static void stopRegistry() throws IOException {
        if (registry != null) registry.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** octod's own output: the fixture's first line shows the command and its environment, octod's lines follow. */
    private static String octodOutput() throws IOException {
        return String.join("\n", Files.readAllLines(octohost.octodLog()).stream().filter(l -> !l.startsWith("$ ")).toList());
    }

    @Test
    void afterAPushTheReleasesImageIsInTheRegistry() throws IOException {
        String app = "rel-registry";
        assertEquals(404, registry.manifestStatus(app, "v1", USER, PASSWORD), "the registry is not empty to begin with");
        assertEquals(401, registry.manifestStatus(app, "v1", USER, "not-" + PASSWORD), "the registry does not check passwords");

        AppRepo repo = octohost.app(app);
        String page1 = Content.unique("registry v1");
        repo.staticSite(page1).commit("v1");
        PushResult push = repo.push("master");

        assertEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("Pushing " + registry.address() + "/" + app + ":v1"), push::describe);
        // the engine's progress reaches the pusher, before the switch
        assertTrue(push.output().contains("v1: digest: sha256:"), () -> "no push progress:\n" + push.describe());
        assertTrue(push.output().indexOf("v1: digest: sha256:") < push.output().indexOf("-----> Starting"), push::describe);
        assertEquals(200, registry.manifestStatus(app, "v1", USER, PASSWORD),
                () -> "the manifest of " + app + ":v1 is not in the registry\n" + push.describe() + "\n" + registry.log());
        assertEquals(page1, octohost.served(app));
        // the registry tag was only needed for the push
        assertFalse(Docker.imageExists(registry.address() + "/" + app + ":v1"), "the local registry tag was left behind");
        assertFalse(push.output().contains(PASSWORD), "the password is in the push output");
        assertFalse(octodOutput().contains(PASSWORD), "the password is in octod's log");
    }

    @Test
    void aWrongPasswordFailsThePushCleanlyAndTheOldVersionKeepsServing() throws IOException {
        // given v1 pushed to the registry with octod's password
        String app = "rel-registry-pw";
        String page1 = Content.unique("registry-pw v1");
        AppRepo repo = octohost.deployed(app, page1);
        assertEquals(200, registry.manifestStatus(app, "v1", USER, PASSWORD), registry::log);
        String sha1 = repo.head();
        String page2 = Content.unique("registry-pw v2");
        repo.staticSite(page2).commit("v2");
        PushResult push;
        try {
            // the registry now wants another password than the one octod has
            registry.setPassword(USER, "changed-" + UUID.randomUUID());
            registry.restart();
            push = repo.push("master");
        } finally {
            registry.setPassword(USER, PASSWORD);
            registry.restart();
        }

        assertNotEquals(0, push.exitCode(), push::describe);
        List<String> reasons = push.output().lines().filter(l -> l.contains("error: pushing to the registry")).toList();
        assertEquals(1, reasons.size(), () -> "expected one line with the reason:\n" + push.describe());
        System.out.println("RegistryTest: a wrong password fails the push with: " + reasons.get(0).strip());
        String reason = reasons.get(0).toLowerCase();
        assertTrue(reason.contains("unauthorized") || reason.contains("authentication required") || reason.contains("no basic auth"),
                () -> "the reason does not say the registry refused the credentials: " + reasons.get(0));
        assertTrue(push.output().contains("[remote rejected] master -> master"), push::describe);
        assertEquals(page1, octohost.served(app), "the old version keeps serving");
        assertEquals(sha1, repo.remoteRefs().get("refs/heads/master"), "a failed push moved the branch");
        assertEquals(1, octohost.containers(app).size(), () -> "containers: " + octohost.containers(app));
        assertFalse(push.output().contains(PASSWORD), "the password is in the push output");
        assertFalse(octodOutput().contains(PASSWORD), "the password is in octod's log");

        // with the password right again, the same push goes through as v2
        PushResult again = repo.push("master");
        assertEquals(0, again.exitCode(), again::describe);
        assertEquals(page2, octohost.served(app));
        assertEquals(200, registry.manifestStatus(app, "v2", USER, PASSWORD), registry::log);
    }

    @Test
    void withRegistryOptionalAFailedRegistryPushStillDeploys() {
        try (Octohost optional = Octohost.builder()
                .extraArgs("--registry", registry.address(), "--registry-optional")
                .env("OCTOD_REGISTRY_USER", USER)
                .env("OCTOD_REGISTRY_PASSWORD", Secrets.planted("wrong"))
                .build()) {
            optional.start();
            AppRepo other = optional.app("rel-registry-optional");
            String page = Content.unique("registry optional");
            other.staticSite(page).commit("v1");
            PushResult push = other.push("master");
            assertEquals(0, push.exitCode(), push::describe);
            assertTrue(push.output().contains("warning: pushing to the registry"), push::describe);
            assertTrue(push.output().contains("--registry-optional"), push::describe);
            assertEquals(page, optional.get("rel-registry-optional").bodyText());
            assertEquals(404, registry.manifestStatus("rel-registry-optional", "v1", USER, PASSWORD));
        }
    }
}
