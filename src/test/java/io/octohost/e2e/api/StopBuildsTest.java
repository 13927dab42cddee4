package io.octohost.e2e.api;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Streaming;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, acceptance 2 and 3: a build stopped during a slow docker build (DELETE over the API,
 * {@code octo builds:cancel}, a pusher who hangs up, or its BUILD_TIMEOUT) ends within 5 s as
 * {@code cancelled} or {@code timedout}, its build container gone, nothing deployed, the running
 * release still serving.
 */
@Tag("docker")
class StopBuildsTest {
    private static final Duration STOPPED_WITHIN = Duration.ofSeconds(5);

    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    @RegisterExtension
    static final ApiScenario scenario = new ApiScenario(octohost);
    private final BuildApi api = scenario.api();
    private final String admin = scenario.admin();

    /** A Dockerfile whose build sleeps 30 s in a RUN step (never cached: the step is new each time). */
    private static String[] slowDockerfile() {
        return new String[] {"FROM octohost/busybox:latest", "COPY www /www",
                "RUN echo slow-step " + UUID.randomUUID() + " && sleep 30", "EXPOSE 80",
                "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]"};
    }

    /** Starts an API build of the slow Dockerfile and waits until docker runs its sleeping step. */
    private String slowBuild(AppRepo repo, String name) {
        repo.dockerfile(slowDockerfile()).write("www/index.html", Content.unique("never served")).commit("slow");
        String id = scenario.build(repo.remotePath(), scenario.tarball(name, repo));
        awaitSleeping(repo.remotePath(), () -> api.log(repo.remotePath(), id, admin));
        return id;
    }

    /** Waits until the slow step runs: its output is there and docker has its build container. */
    private static void awaitSleeping(String app, java.util.function.Supplier<String> log) {
        Await.until("the slow step of " + app + " runs", Duration.ofSeconds(120), log, l -> l.contains("slow-step"));
        Await.until("the build container of " + app, Duration.ofSeconds(10), () -> octohost.buildContainers(app), c -> !c.isEmpty());
    }

    private static void assertStoppedCleanly(String app, String page, long askedAt) {
        Await.until("no build container of " + app + " left", Duration.ofSeconds(5), () -> octohost.buildContainers(app), List::isEmpty);
        long took = System.nanoTime() - askedAt;
        assertTrue(took < STOPPED_WITHIN.toNanos(), "stopped after " + took / 1_000_000 + " ms");
        assertEquals(page, octohost.get(app).bodyText(), "the running release keeps serving");
        assertEquals(1, octohost.containers(app).size(), () -> "containers: " + octohost.containers(app));
    }

    @Test
    void deleteStopsASlowBuildWithinFiveSecondsAndADeleteAgainIs422() throws Exception {
        String v1 = Content.unique("slow v1");
        AppRepo repo = octohost.deployed("slow", v1);
        String id = slowBuild(repo, "slow-1");
        Streaming following = octohost.startOcto("builds:logs", "slow", id, "-f");
        following.await(l -> l.contains("slow-step"), Duration.ofSeconds(30), "the log so far");
        CompletableFuture<HttpResponse<String>> followed = api.followLog("slow", id, admin);
        Await.sleep(Duration.ofMillis(500));
        assertFalse(followed.isDone(), "a followed log ended while the build runs");

        long asked = System.nanoTime();
        HttpResponse<String> stopped = api.call("DELETE", "/v1/shuttle/slow/" + id, admin, null);

        assertEquals(200, stopped.statusCode(), stopped.body());
        assertEquals("{\"status\":\"OK\"}", stopped.body());
        Map<String, Object> record = api.build("slow", id, admin);
        assertEquals("cancelled", record.get("status"));
        assertEquals("cancelled by token 'ops'", record.get("reason"));
        assertStoppedCleanly("slow", v1, asked);
        assertTrue(api.log("slow", id, admin).contains("build cancelled: cancelled by token 'ops'"));
        // who followed the log (octo builds:logs -f, ?follow=1) saw it to its end, and stopped following
        assertEquals(0, following.waitFor(Duration.ofSeconds(10)), following::describe);
        assertTrue(following.output().contains("build cancelled: cancelled by token 'ops'"), following::describe);
        HttpResponse<String> streamed = followed.get(10, TimeUnit.SECONDS);
        assertEquals(200, streamed.statusCode());
        assertTrue(streamed.body().contains("slow-step") && streamed.body().contains("build cancelled: cancelled by token 'ops'"), streamed.body());
        assertEquals("{\"id\":null,\"type\":\"octohost\",\"building\":false,\"status\":\"cancelled\"}",
                api.call("GET", "/v1/shuttle/slow/" + id + "/status", admin, null).body());
        HttpResponse<String> again = api.call("DELETE", "/v1/shuttle/slow/" + id, admin, null);
        assertEquals(422, again.statusCode(), again.body());
        assertEquals(404, api.call("DELETE", "/v1/shuttle/slow/nope", admin, null).statusCode());
        assertEquals(422, api.call("DELETE", "/v1/apps/slow/builds/" + id, admin, null).statusCode());

        // octo builds:cancel, over the API socket and over SSH
        String second = slowBuild(repo, "slow-2");
        long cli = System.nanoTime();
        Proc.Result cancel = octohost.octo(null, "builds:cancel", "slow", second);
        assertEquals(0, cancel.exitCode(), cancel::describe);
        assertTrue(cancel.output().contains(second + "\tcancelled\tcancelled by the local admin"), cancel::describe);
        assertStoppedCleanly("slow", v1, cli);
        String third = slowBuild(repo, "slow-3");
        long ssh = System.nanoTime();
        Proc.Result overSsh = octohost.ssh(octohost.adminKey(), Duration.ofSeconds(30), "git@127.0.0.1", "builds:cancel slow " + third);
        assertEquals(0, overSsh.exitCode(), overSsh::describe);
        assertEquals("cancelled", api.build("slow", third, admin).get("status"));
        assertStoppedCleanly("slow", v1, ssh);
    }

    @Test
    void aPushWhoseClientHangsUpMidBuildIsCancelledTheSameWay() {
        String v1 = Content.unique("hangup v1");
        AppRepo repo = octohost.deployed("hangup", v1);
        String served = repo.remoteRefs().get("refs/heads/master");
        repo.dockerfile(slowDockerfile()).commit("slow");
        Streaming push = repo.startPush("master");
        push.await(l -> l.contains("slow-step"), Duration.ofSeconds(120), "the slow step");
        Await.until("the build container", Duration.ofSeconds(10), () -> octohost.buildContainers("hangup"), c -> !c.isEmpty());
        String id = (String) api.builds("hangup", admin).get(0).get("id");
        assertEquals("building", api.build("hangup", id, admin).get("status"));

        long asked = System.nanoTime();
        push.hangUp();

        Map<String, Object> record = Await.until("the push's build ends", STOPPED_WITHIN, () -> api.build("hangup", id, admin),
                b -> BuildApi.ENDED.contains(b.get("status")));
        assertEquals("cancelled", record.get("status"));
        assertEquals("the pusher hung up", record.get("reason"));
        assertEquals("git-push", record.get("trigger"));
        assertStoppedCleanly("hangup", v1, asked);
        assertEquals(served, repo.remoteRefs().get("refs/heads/master"), "the branch moved");
        assertNotEquals(0, push.waitFor(Duration.ofSeconds(10)));
    }

    @Test
    void pastItsBuildTimeoutABuildEndsTimedoutAndThePushIsRejected() {
        String v1 = Content.unique("timeout v1");
        AppRepo repo = octohost.deployed("late", v1);
        assertEquals(0, octohost.octo(null, "config:set", "late", "BUILD_TIMEOUT=3", "--no-restart").exitCode());
        Proc.Result bad = octohost.octo(null, "config:set", "late", "BUILD_TIMEOUT=soon", "--no-restart");
        assertTrue(bad.exitCode() == 1 && bad.output().contains("invalid BUILD_TIMEOUT 'soon'"), bad::describe);

        repo.dockerfile(slowDockerfile()).commit("slow");
        String id = scenario.build("late", scenario.tarball("late", repo));
        Map<String, Object> record = api.awaitEnd("late", id, admin, Duration.ofSeconds(60));
        assertEquals("timedout", record.get("status"), () -> api.log("late", id, admin));
        assertEquals("building took longer than 3 s (BUILD_TIMEOUT, or --build-timeout)", record.get("reason"));
        Duration took = Duration.between(java.time.Instant.parse((String) record.get("started")),
                java.time.Instant.parse((String) record.get("ended")));
        assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0 && took.compareTo(Duration.ofSeconds(3).plus(STOPPED_WITHIN)) < 0,
                "stopped after " + took);
        assertStoppedCleanly("late", v1, System.nanoTime());

        PushResult push = repo.push("master");
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("error: building took longer than 3 s"), push::describe);
        assertEquals(v1, octohost.get("late").bodyText());
    }
}
