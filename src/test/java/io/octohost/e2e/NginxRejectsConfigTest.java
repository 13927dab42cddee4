package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 3, acceptance 7: when {@code nginx -t} rejects the rendered file, the deploy fails,
 * the previous file is restored and the other apps are still served.
 *
 * <p>To make nginx reject a file on demand, this octod gets {@code --templates-dir} with a copy of
 * {@code templates/nginx} whose {@code containers.conf.ftl} ends with a snippet that writes an unknown
 * directive whenever an app's name contains "broken". It assumes the template's data model has a
 * sequence {@code apps} whose items have {@code .name}.
 */
@Tag("docker")
class NginxRejectsConfigTest {
    static final String HOOK = "\n<#list apps as app><#if app.name?contains(\"broken\")>this_is_not_a_directive;</#if></#list>\n";

    @RegisterExtension
    static final Octohost octohost = Octohost.builder()
            .templates(dir -> Files.writeString(dir.resolve("containers.conf.ftl"), HOOK, StandardOpenOption.APPEND))
            .build();

    @Test
    void aConfigNginxRejectsFailsTheDeployAndRestoresThePreviousFile() {
        // given hello deployed through the customised templates
        String page = Content.unique("hello");
        octohost.deployed("hello", page);
        String routesBefore = octohost.routes();
        assertTrue(routesBefore.contains("hello." + Octohost.DOMAIN), routesBefore);
        assertFalse(routesBefore.contains("this_is_not_a_directive"), routesBefore);
        String helloContainer = octohost.onlyContainer("hello");

        // when app broken is pushed, whose rendered file nginx rejects
        AppRepo broken = octohost.app("broken");
        broken.staticSite(Content.unique("broken")).commit("v1");
        PushResult push = broken.push("master");

        // then the push fails with nginx's message
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("[remote rejected] master -> master"), push::describe);
        assertTrue(push.output().contains("this_is_not_a_directive"), () -> "expected nginx -t's message\n" + push.describe());
        // and the previous file is back, byte for byte
        assertEquals(routesBefore, octohost.routes());
        // and hello is still served by the same container; broken is neither served nor running
        Http.Response r = octohost.get("hello");
        assertEquals(200, r.status(), r::toString);
        assertEquals(page, r.bodyText());
        assertEquals(helloContainer, octohost.onlyContainer("hello"));
        octohost.awaitContainers("broken", 0); // the failed deploy's container is removed
        assertNull(broken.remoteRefs().get("refs/heads/master"), "the rejected ref must not exist");
    }
}
