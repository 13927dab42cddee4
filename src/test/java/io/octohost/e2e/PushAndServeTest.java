package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3, acceptance 2: a push is served when git push returns; a later push replaces it. */
@Tag("docker")
class PushAndServeTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void pushingMasterServesThePushedContentAndARedeployReplacesTheContainer() {
        // given app hello
        AppRepo hello = octohost.app("hello");
        String v1 = Content.unique("hello v1");
        String sha1 = hello.staticSite(v1).commit("v1");

        // when master is pushed
        PushResult first = hello.push("master");

        // then the push succeeded and the content is served right away (no retry)
        assertEquals(0, first.exitCode(), first::describe);
        assertTrue(first.output().contains("remote: -----> Building hello (" + sha1.substring(0, 7)),
                () -> "expected the stage header 'remote: -----> Building hello (" + sha1.substring(0, 7) + ")'\n" + first.describe());
        Http.Response r1 = octohost.get("hello");
        assertEquals(200, r1.status(), r1::toString);
        assertEquals(v1, r1.bodyText());
        String firstContainer = octohost.onlyContainer("hello");
        assertEquals(sha1, Docker.label(firstContainer, "octohost.commit"));

        // when changed content is pushed
        String v2 = Content.unique("hello v2");
        String sha2 = hello.staticSite(v2).commit("v2");
        PushResult second = hello.push("master");

        // then the new content is served and only the new container is left
        assertEquals(0, second.exitCode(), second::describe);
        Http.Response r2 = octohost.get("hello");
        assertEquals(200, r2.status(), r2::toString);
        assertEquals(v2, r2.bodyText());
        String container = octohost.awaitOnlyContainer("hello");
        assertEquals(sha2, Docker.label(container, "octohost.commit"));
        assertNotEquals(firstContainer, container, "the first container should have been replaced");
        assertEquals("running", Docker.state(container));
        assertEquals(sha2, hello.remoteRefs().get("refs/heads/master"));
    }

    @Test
    void theRepoUrlMayEndInDotGit() {
        AppRepo site = octohost.app("dotgit.git");
        String page = Content.unique("dotgit");
        String sha = site.staticSite(page).commit("v1");

        PushResult push = site.push("master");

        assertEquals(0, push.exitCode(), push::describe);
        assertEquals(page, octohost.get("dotgit").bodyText());
        assertEquals(sha, Docker.label(octohost.onlyContainer("dotgit"), "octohost.commit"));
        assertEquals(sha, octohost.app("dotgit").remoteRefs().get("refs/heads/master"),
                "ssh://.../dotgit and ssh://.../dotgit.git should be the same repo");
    }
}
