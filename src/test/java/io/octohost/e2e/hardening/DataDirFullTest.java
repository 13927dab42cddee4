package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, a fault: octod's data dir (a 32 MiB tmpfs of the test's own) fills up while an app runs.
 * A push then fails with a one-line error, not an internal one; once space is freed the last good
 * release serves, nothing of the state was lost, and the next push works.
 */
@Tag("docker")
class DataDirFullTest {
    private static final Path DATA = tmpfs("32m");

    @RegisterExtension
    static final Octohost octohost = Octohost.builder().dataDir(DATA).extraArgs("--min-free-space", "1M").build();

    private static Path tmpfs(String size) {
        try {
            Path dir = Files.createTempDirectory("octohost-full-");
            Proc.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString()).run().orFail();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void start() {
        Reliability.start(DataDirFullTest.class);
    }

    @AfterAll
    static void stop() throws IOException {
        Reliability.writeReport();
        octohost.close();
        Proc.of("umount", "-l", DATA.toString()).run();
        Files.deleteIfExists(DATA);
    }

    @Test
    void aPushIntoAFullDataDirFailsClearlyAndTheAppServesOn() throws IOException {
        String v1 = Content.unique("full v1");
        AppRepo app = octohost.deployed("full", v1);
        Set<String> before = Survival.state(octohost);
        Path filler = DATA.resolve("filler");
        Proc.of("dd", "if=/dev/zero", "of=" + filler, "bs=1M").run(); // ends when the tmpfs is full
        assertFalse(Proc.of("dd", "if=/dev/zero", "of=" + DATA.resolve("probe"), "bs=4k", "count=1").run().ok(), "the data dir is not full");

        app.staticSite(Content.unique("full v2")).commit("v2 into a full data dir");
        PushResult refused = app.push("master");
        assertFalse(refused.ok(), refused::describe);
        assertTrue(refused.output().contains("error: the push could not be stored: No space left on device"), refused::describe);
        assertFalse(refused.output().contains("internal error"), refused::describe);

        Files.delete(filler);
        Files.deleteIfExists(DATA.resolve("probe"));
        Survival.check(DataDirFullTest.class, octohost, app, v1, before, "the data dir full during a push",
                "octod's data dir (a 32 MiB tmpfs) was filled to the last byte and a push came; it failed saying '"
                        + refused.reason() + "'; the space was freed");
    }
}
