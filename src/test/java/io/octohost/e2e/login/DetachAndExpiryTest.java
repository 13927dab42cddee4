package io.octohost.e2e.login;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Secrets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, acceptance 2 and 3: a login token past --login-token-ttl is refused for git push and for
 * octo; {@code git push -o detach} (over SSH and over HTTP) returns while its build still runs, which
 * then deploys (a push meanwhile queues behind it, and is refused as stale); a failing detached build
 * leaves the ref and the running version as they were.
 */
@Tag("docker")
class DetachAndExpiryTest {
    private static final Pattern QUEUED = Pattern.compile("build (\\S+) of (\\S+) queued");
    private static final Duration BUILD = Duration.ofSeconds(240);
    @RegisterExtension
    static final Octohost octohost = Octohost.builder().extraArgs("--login-token-ttl", "8s").build();
    @TempDir
    Path tmp;

    private static String queuedId(Proc.Result push) {
        Matcher m = QUEUED.matcher(push.output());
        assertTrue(m.find(), push::describe);
        assertTrue(push.output().contains("octo builds:logs " + m.group(2) + " " + m.group(1) + " -f"), push::describe);
        return m.group(1);
    }

    private static JsonNode build(String app, String id) {
        Proc.Result r = octohost.octo(null, "builds:info", app, id, "--json");
        assertEquals(0, r.exitCode(), r::describe);
        return Json.parse(r.output());
    }

    private static String awaitEnd(String app, String id) {
        return Await.until("build " + id + " of " + app + " to end", BUILD, () -> build(app, id).path("status").asText(),
                s -> List.of("succeeded", "failed", "timedout", "cancelled").contains(s));
    }

    @Test
    void aDetachedPushReturnsWhileItBuildsThenDeploysAndAFailedOneLeavesTheRefAndTheAppAsTheyWere() {
        AppRepo app = octohost.deployed("detach", Content.unique("detach v1"));
        String v1 = app.head();
        String v1page = octohost.get("detach").bodyText();

        // a build that takes a while (20 s of RUN) pushed with -o detach over SSH: the push is back first
        String v2page = Content.unique("detach v2");
        app.staticSite(v2page);
        app.dockerfile("FROM octohost/busybox:latest", "RUN sleep 20", "COPY www /www", "EXPOSE 80",
                "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]");
        String v2 = app.commit("v2");
        Proc.Result push = app.git("push", "-o", "detach", app.url(), "master");
        assertEquals(0, push.exitCode(), push::describe);
        String id = queuedId(push);
        String status = build("detach", id).path("status").asText();
        assertTrue(List.of("pending", "queued", "building").contains(status), "right after the push the build runs: " + status);
        assertEquals(v1, app.remoteRefs().get("refs/heads/master"), "the branch moves only when the build succeeds");
        assertEquals(v1page, octohost.get("detach").bodyText());

        // a push meanwhile queues behind it (it waits for the app's lock), then is refused as stale: the detached build moved the branch
        Await.until("the detached build to hold the app's lock", BUILD, () -> build("detach", id).path("status").asText(), "building"::equals);
        app.staticSite(Content.unique("detach v3")).commit("v3");
        Proc.Result behind = app.git("push", app.url(), "master");
        assertNotEquals(0, behind.exitCode(), behind::describe);
        assertTrue(behind.output().contains("waiting for the deploy of detach to finish") && behind.output().contains("stale info"),
                behind::describe);

        // then it succeeds, is served, and the branch moved
        assertEquals("succeeded", awaitEnd("detach", id));
        assertEquals(v2page, octohost.get("detach").bodyText());
        assertEquals(v2, app.remoteRefs().get("refs/heads/master"));

        // a failing detached build: the push returns 0, the build fails, v2 keeps serving, the ref stays at v2
        app.dockerfile("FROM octohost/busybox:latest", "RUN exit 3").commit("broken");
        Proc.Result broken = app.git("push", "-o", "detach", app.url(), "master");
        assertEquals(0, broken.exitCode(), broken::describe);
        assertEquals("failed", awaitEnd("detach", queuedId(broken)));
        assertEquals(v2page, octohost.get("detach").bodyText());
        assertEquals(v2, app.remoteRefs().get("refs/heads/master"));

        // the first push of an app cannot be detached: refused, nothing made
        AppRepo fresh = octohost.app("freshdetach");
        fresh.staticSite(Content.unique("fresh")).commit("v1");
        Proc.Result first = fresh.git("push", "-o", "detach", fresh.url(), "master");
        assertNotEquals(0, first.exitCode(), first::describe);
        assertTrue(first.output().contains("cannot be detached"), first::describe);
    }

    @Test
    void aDetachedPushOverHttpThenTheLoginTokenExpiresAndIsRefusedForGitAndOcto() throws Exception {
        AppRepo app = octohost.deployed("webdetach", Content.unique("webdetach v1"));
        Path pw = tmp.resolve("pw");
        String password = Secrets.planted("bobpw");
        Files.writeString(pw, password + "\n", StandardCharsets.UTF_8);
        assertEquals(0, octohost.octo(pw, "users:add", "bob@example.com", "--role", "admin").exitCode());
        LoginHome bob = new LoginHome(octohost, tmp.resolve("bob"));
        Proc.Result login = bob.login("bob@example.com", password);
        assertEquals(0, login.exitCode(), login::describe);

        // over HTTP, -o detach hands the build off too
        String page = Content.unique("webdetach v2");
        String sha = app.staticSite(page).commit("v2");
        Proc.Result push = bob.push(app, "webdetach", "-o", "detach");
        assertEquals(0, push.exitCode(), push::describe);
        String id = queuedId(push);

        // the token expires (8 s): octo and git push are refused
        Await.until("bob's login token to expire", Duration.ofSeconds(60), () -> bob.octo(null, "apps:list"),
                r -> r.output().contains("the login is no longer valid"));
        app.staticSite(Content.unique("webdetach v3")).commit("v3");
        Proc.Result expired = bob.push(app, "webdetach");
        assertNotEquals(0, expired.exitCode(), expired::describe);
        assertTrue(expired.output().contains("401") || expired.output().contains("Authentication failed"), expired::describe);

        // the detached build went on regardless, and deployed v2
        assertEquals("succeeded", awaitEnd("webdetach", id));
        assertEquals(page, octohost.get("webdetach").bodyText());
        assertEquals(sha, app.remoteRefs().get("refs/heads/master"));
    }
}
