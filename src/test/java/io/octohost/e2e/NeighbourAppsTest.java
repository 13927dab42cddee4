package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3, acceptance 4: apps are found by label, never by name prefix. */
@Tag("docker")
class NeighbourAppsTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void redeployingHelloLeavesHelloWorldUntouched() {
        // given hello and hello-world both deployed
        AppRepo hello = octohost.deployed("hello", Content.unique("hello v1"));
        String worldPage = Content.unique("hello-world");
        octohost.deployed("hello-world", worldPage);
        String worldContainer = octohost.onlyContainer("hello-world");

        // when hello is redeployed
        String helloV2 = Content.unique("hello v2");
        hello.staticSite(helloV2).commit("v2");
        PushResult p3 = hello.push("master");

        // then hello serves the new content, and hello-world keeps its container and route
        assertEquals(0, p3.exitCode(), p3::describe);
        assertEquals(helloV2, octohost.get("hello").bodyText());
        assertEquals(worldContainer, octohost.onlyContainer("hello-world"));
        assertEquals("running", Docker.state(worldContainer));
        Http.Response w = octohost.get("hello-world");
        assertEquals(200, w.status(), w::toString);
        assertEquals(worldPage, w.bodyText());
    }
}
