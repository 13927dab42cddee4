package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 3, acceptance 8: a container that exits at once, or never opens its port, fails the push;
 * the previous version keeps serving. octod runs with --ready-timeout 5 to keep this short.
 */
@Tag("docker")
class ContainerNotReadyTest {
    static final int READY_TIMEOUT_SECONDS = 5;

    @RegisterExtension
    static final Octohost octohost = Octohost.builder().readyTimeout(READY_TIMEOUT_SECONDS).build();

    @Test
    void aContainerThatExitsAtOnceFailsThePush() {
        String good = Content.unique("crash good");
        AppRepo app = octohost.deployed("crash", good);
        String goodSha = app.head();

        // when the new version's process exits at once
        app.dockerfile("FROM octohost/busybox:latest", "EXPOSE 80", "CMD [\"false\"]");
        app.commit("exits at once");
        PushResult push = app.push("master");

        assertFailedAndPreviousServes(app, push, good, goodSha);
    }

    @Test
    void aContainerThatNeverOpensItsPortFailsThePush() {
        String good = Content.unique("mute good");
        AppRepo app = octohost.deployed("mute", good);
        String goodSha = app.head();

        // when the new version runs but never listens on its EXPOSEd port
        app.dockerfile("FROM octohost/busybox:latest", "EXPOSE 80", "CMD [\"sleep\", \"1000\"]");
        app.commit("never listens");
        long start = System.nanoTime();
        PushResult push = app.push("master");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertFailedAndPreviousServes(app, push, good, goodSha);
        assertTrue(seconds >= READY_TIMEOUT_SECONDS - 1, "the push failed after " + seconds + " s, before the ready timeout");
    }

    private static void assertFailedAndPreviousServes(AppRepo app, PushResult push, String good, String goodSha) {
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("[remote rejected] master -> master"), push::describe);
        assertEquals(goodSha, app.remoteRefs().get("refs/heads/master"), "the ref must not move");
        Http.Response r = octohost.get(app.remotePath());
        assertEquals(200, r.status(), r::toString);
        assertEquals(good, r.bodyText());
        // the failed container is removed; only the previous one is left
        String only = octohost.awaitOnlyContainer(app.remotePath());
        assertEquals(goodSha, Docker.label(only, "octohost.commit"));
        assertEquals("running", Docker.state(only));
    }
}
