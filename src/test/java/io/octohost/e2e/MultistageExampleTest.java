package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3, acceptance 10: examples/multistage (two stages, EXPOSE 9000) is served; and examples/hello too. */
@Tag("docker")
class MultistageExampleTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void theMultistageExampleOnPort9000IsServed() {
        AppRepo app = octohost.app("multistage").copyFrom(octohost.root().resolve("examples/multistage"));
        String sha = app.commit("examples/multistage");

        PushResult push = app.push("master");

        assertEquals(0, push.exitCode(), push::describe);
        Http.Response r = octohost.get("multistage");
        assertEquals(200, r.status(), r::toString);
        assertEquals("built in a separate stage\nmultistage example\n", r.bodyText());
        assertEquals(sha, Docker.label(octohost.onlyContainer("multistage"), "octohost.commit"));
    }

    @Test
    void theHelloExampleIsServedWithItsEnvironmentCgi() throws IOException {
        AppRepo app = octohost.app("hello").copyFrom(octohost.root().resolve("examples/hello"));
        app.commit("examples/hello");

        PushResult push = app.push("master");

        assertEquals(0, push.exitCode(), push::describe);
        Http.Response page = octohost.get("hello");
        assertEquals(200, page.status(), page::toString);
        assertEquals(Files.readString(octohost.root().resolve("examples/hello/www/index.html")), page.bodyText());
        Http.Response env = octohost.get("hello", "/cgi-bin/env");
        assertEquals(200, env.status(), env::toString);
        String vars = env.bodyText();
        assertTrue(vars.contains("PATH=/usr/local/sbin:") && vars.contains("\0"),
                () -> "expected the container's NUL-separated environment: " + vars.replace('\0', '|'));
    }
}
