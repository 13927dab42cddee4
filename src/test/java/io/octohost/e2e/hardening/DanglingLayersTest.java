package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A failed build removes the untagged layers it left, and only those: the engine is shared with other
 * apps' builds running at that moment, other octods and whatever else its owner builds (a prune of every
 * dangling image once took the intermediate image of another app's build in progress).
 */
@Tag("docker")
class DanglingLayersTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder().build();
    private static final String MARK = "octohost.e2e.dangling=" + UUID.randomUUID();

    @AfterAll
    static void removeWhatTheTestMade() {
        Docker.removeImages(MARK);
    }

    @Test
    void aFailedBuildPrunesOnlyTheLayersItLeft() {
        String otherApp = dangling("octohost.app=dl-other", "octohost.instance=" + octohost.instanceId());
        String otherOctod = dangling("octohost.app=dl-fails", "octohost.instance=another-octod");
        String nobodys = dangling();

        AppRepo app = octohost.app("dl-fails");
        app.dockerfile("FROM octohost/busybox:latest", "RUN echo a layer > /layer", "RUN echo and then; exit 3").commit("fails on its last step");
        assertFalse(app.push("master").ok(), "the build fails");

        assertEquals(List.of(), Docker.images("octohost.app=dl-fails", "octohost.instance=" + octohost.instanceId()),
                "the failed build's own layers are removed");
        for (String kept : List.of(otherApp, otherOctod, nobodys)) {
            assertNotNull(Docker.imageId(kept), kept + " is not the failed build's and stays");
        }
    }

    /** An untagged image with these labels (each "key=value"), as a build in progress or a failed one leaves. */
    private static String dangling(String... labels) {
        List<String> cmd = new ArrayList<>(List.of("docker", "build", "-q", "--label", MARK));
        for (String l : labels) {
            cmd.add("--label");
            cmd.add(l);
        }
        cmd.add("-");
        String dockerfile = "FROM octohost/busybox:latest\nRUN echo " + UUID.randomUUID() + " > /unique\n";
        String out = Proc.of(cmd).stdin(dockerfile.getBytes(StandardCharsets.UTF_8)).timeout(Duration.ofMinutes(2)).run().orFail().output();
        // docker build -q prints the image id, after the legacy builder's warning
        return out.lines().map(String::strip).filter(l -> l.startsWith("sha256:")).reduce((a, b) -> b).orElseThrow(() -> new AssertionError(out));
    }
}
