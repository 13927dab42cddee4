package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3, acceptance 9: deleting a branch removes its app, its containers and its route. */
@Tag("docker")
class BranchDeleteTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void deletingABranchRemovesItsAppContainersAndRoute() {
        // given hello and its branch feature/x both deployed
        String main = Content.unique("hello master");
        AppRepo hello = octohost.deployed("hello", main);
        String branchPage = Content.unique("hello feature/x");
        hello.branch("feature/x").staticSite(branchPage).deploy("feature/x", branchPage);
        assertEquals(1, octohost.containers("hello-feature-x").size());
        assertTrue(octohost.routes().contains("hello-feature-x"), octohost.routes());
        String helloContainer = octohost.onlyContainer("hello");

        // when the branch is deleted
        PushResult delete = hello.deleteBranch("feature/x");

        // then the app is gone: no containers, no route, its host no longer serves it
        assertEquals(0, delete.exitCode(), delete::describe);
        octohost.awaitContainers("hello-feature-x", 0);
        assertFalse(octohost.routes().contains("hello-feature-x"), octohost.routes());
        Http.Response gone = octohost.get("hello-feature-x");
        assertNotEquals(branchPage, gone.bodyText(), "the deleted branch is still served");
        assertFalse(hello.remoteRefs().containsKey("refs/heads/feature/x"));
        // and hello is untouched
        assertEquals(main, octohost.get("hello").bodyText());
        assertEquals(helloContainer, octohost.onlyContainer("hello"));
    }
}
