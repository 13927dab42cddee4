package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3, acceptance 3: a branch is its own app, APP-BRANCH, beside APP. */
@Tag("docker")
class BranchDeployTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void pushingABranchServesAppDashBranchAndLeavesTheAppAlone() {
        // given hello deployed from master
        String main = Content.unique("hello master");
        AppRepo hello = octohost.deployed("hello", main);
        String helloContainer = octohost.onlyContainer("hello");

        // when branch feature/login is pushed with other content
        String login = Content.unique("hello feature/login");
        String loginSha = hello.branch("feature/login").staticSite(login).commit("login page");
        PushResult pushBranch = hello.push("feature/login");

        // then it is served at hello-feature-login.DOMAIN
        assertEquals(0, pushBranch.exitCode(), pushBranch::describe);
        Http.Response branch = octohost.get("hello-feature-login");
        assertEquals(200, branch.status(), branch::toString);
        assertEquals(login, branch.bodyText());
        assertEquals(loginSha, Docker.label(octohost.onlyContainer("hello-feature-login"), "octohost.commit"));

        // and hello still serves master's content from the same container
        Http.Response app = octohost.get("hello");
        assertEquals(200, app.status(), app::toString);
        assertEquals(main, app.bodyText());
        assertEquals(helloContainer, octohost.onlyContainer("hello"));
    }
}
