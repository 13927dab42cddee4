package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3, acceptance 5: a failed build rejects the push; the ref and the running version stay. */
@Tag("docker")
class BuildFailureTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void aFailingDockerfileRejectsThePushAndKeepsThePreviousVersion() {
        // given hello deployed
        String good = Content.unique("hello good");
        AppRepo hello = octohost.deployed("hello", good);
        String goodSha = hello.head();

        // when a Dockerfile whose RUN fails is pushed
        hello.dockerfile(
                "FROM octohost/busybox:latest",
                "RUN echo about to fail && false",
                "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]");
        String badSha = hello.commit("broken build");
        PushResult bad = hello.push("master");

        // then the push fails with the build's error
        assertNotEquals(0, bad.exitCode(), bad::describe);
        assertTrue(bad.output().contains("returned a non-zero code"), bad::describe);
        assertTrue(bad.output().contains("[remote rejected] master -> master"), bad::describe);
        assertTrue(bad.output().lines().anyMatch(l -> l.startsWith("remote: ") && l.contains("about to fail")),
                () -> "docker build's output should reach the pusher as remote: lines\n" + bad.describe());

        // and the ref has not moved
        assertEquals(goodSha, hello.remoteRefs().get("refs/heads/master"), "the remote master should still be the good commit");
        assertNotEquals(goodSha, badSha);

        // and the previous version is still served by its container
        Http.Response r = octohost.get("hello");
        assertEquals(200, r.status(), r::toString);
        assertEquals(good, r.bodyText());
        assertEquals(goodSha, Docker.label(octohost.onlyContainer("hello"), "octohost.commit"));
    }
}
