package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, acceptance 1: {@code scripts/run} twice on one machine, its key file removed between the
 * runs (octod's data dir stays): both runs end with examples/hello served by the system nginx.
 *
 * <p>This is the one test that sets up the machine itself, as a newcomer does: it runs scripts/run
 * for real, so it uses what scripts/run uses (the system nginx on port 80, octod on port 2222,
 * /var/lib/octod) and leaves them as scripts/run does, running; scripts/run is idempotent, so the
 * test may run any number of times. Its own HOME keeps the user's ~/.ssh out of it. Tagged
 * {@code scripts-run}: leave it out with -DexcludedGroups=scripts-run on a machine whose scripts/run
 * set-up must not be restarted.
 */
@Tag("docker")
@Tag("scripts-run")
class ScriptsRunTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

    @TempDir
    Path home;

    @Test
    void runTwiceWithTheKeyFileRemovedBetweenServesTheExampleBothTimes() throws IOException {
        Path root = Path.of(System.getProperty("octohost.root")).toAbsolutePath().normalize();
        String page = Files.readString(root.resolve("examples/hello/www/index.html"));
        Path key = home.resolve(".ssh/octohost_ed25519");

        Proc.Result first = scriptsRun(root);
        assertServed(page, first);
        assertTrue(Files.isRegularFile(key), first::describe);

        Files.delete(key);
        Files.delete(Path.of(key + ".pub"));
        Proc.Result second = scriptsRun(root);
        assertServed(page, second);
        assertTrue(second.output().contains("generating " + key), second::describe);
        // octod knew the machine's key name with the deleted key: replaced, not "already known"
        assertTrue(second.output().contains("replacing key ") && second.output().contains(" with " + key + ".pub (SHA256:"),
                second::describe);
    }

    private Proc.Result scriptsRun(Path root) {
        // the build scripts/run does takes its dependencies from the user's Maven repository, not the test's HOME
        String repository = "-Dmaven.repo.local=" + Path.of(System.getProperty("user.home"), ".m2", "repository");
        String mavenOpts = (System.getenv().getOrDefault("MAVEN_OPTS", "") + " " + repository).strip();
        return Proc.of("bash", root.resolve("scripts/run").toString()).dir(root).env("HOME", home.toString())
                .env("MAVEN_OPTS", mavenOpts).timeout(RUN_TIMEOUT).run();
    }

    private static void assertServed(String page, Proc.Result run) {
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.output().contains("Hello from octohost"), run::describe);
        assertTrue(run.output().contains("octod's SSH host key: SHA256:"), run::describe);
        Http.Response served = Http.get(80, "hello.localhost", "/");
        assertEquals(200, served.status(), () -> served + "\n" + run.describe());
        assertEquals(page, served.bodyText(), run::describe);
    }
}
