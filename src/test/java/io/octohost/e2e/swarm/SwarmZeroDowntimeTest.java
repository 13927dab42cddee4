package io.octohost.e2e.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.releases.LoadLoop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, acceptance 2: under a load of at least 200 requests a second through nginx, Swarm's
 * rolling updates (a redeploy of one task, a scale, a redeploy of two, a config change) lose no
 * request, with nginx's retries on another task turned off; a release whose health check fails is rolled back by Swarm, the push is rejected with
 * the check's reason, and the old release serves every request meanwhile.
 */
@Tag("swarm")
@Tag("docker")
@Tag("consul")
class SwarmZeroDowntimeTest {
    @RegisterExtension
    @Order(1)
    static final SwarmSetup swarm = new SwarmSetup();

    /**
     * nginx tries no other task when one fails (its default, proxy_next_upstream, would hide a task
     * stopped under it): each request must reach a task that serves it through to the end.
     */
    @RegisterExtension
    @Order(2)
    static final Octohost octohost = swarm.octohost().templates(dir -> {
        Path app = dir.resolve("app.ftl");
        Files.writeString(app, Files.readString(app).replace("proxy_pass ", "proxy_next_upstream off;\n        proxy_pass "));
    }).build();

    /** Six threads, no pause, a new connection per request: several hundred requests a second here. */
    private static LoadLoop load(String app, String servedNow) {
        return LoadLoop.start(octohost.httpPort(), octohost.host(app), "/", 6, 1_000_000, Duration.ofSeconds(300), 0, servedNow);
    }

    private static int releases(String app) {
        return octohost.releases(app).size();
    }

    /** Requests a second over the load's life so far, from its own count. */
    private static double rate(LoadLoop load, long startNanos) {
        return load.requests() / ((System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * Swarm stops a replaced task about two seconds after it takes it out of the service: the load runs
     * on until only the service's current tasks run, and a while after.
     */
    private static void awaitReplacedStopped(String app, int tasks, LoadLoop load) {
        Await.until("only " + tasks + " container(s) of " + app + " running (" + load.summary() + ")", Duration.ofSeconds(30),
                () -> Proc.of("docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + app)
                        .timeout(Duration.ofSeconds(30)).run().orFail().output().lines().count(), n -> n == tasks);
        load.awaitMore(100);
    }

    @Test
    void rollingUpdatesUnderLoadLoseNoRequest() {
        String app = "sw-zdt";
        AppRepo repo = octohost.app(app);
        String v0 = Content.unique("swarm load v0");
        repo.staticSite(v0).commit("v0");
        PushResult first = repo.push("master");
        assertEquals(0, first.exitCode(), first::describe);

        StringBuilder steps = new StringBuilder();
        long start = System.nanoTime();
        try (LoadLoop load = load(app, v0)) {
            load.awaitMore(100);
            String last = v0;
            for (int i = 1; i <= 2; i++) {
                if (i == 2) {
                    long t0 = System.nanoTime();
                    octohost.octo(null, "ps:scale", app, "2").orFail();
                    steps.append(String.format("ps:scale 2 %.2f s%n", (System.nanoTime() - t0) / 1e9));
                }
                String v = Content.unique("swarm load v" + i);
                load.accept(v);
                repo.staticSite(v).commit("v" + i);
                long t0 = System.nanoTime();
                PushResult push = repo.push("master");
                steps.append(String.format("push v%d %.2f s%n", i, (System.nanoTime() - t0) / 1e9));
                assertEquals(0, push.exitCode(), push::describe);
                assertEquals(v, octohost.served(app), "live when the push returned");
                last = v;
            }
            long t0 = System.nanoTime();
            octohost.octo(null, "config:set", app, "ROUND=1").orFail();
            steps.append(String.format("config:set %.2f s%n", (System.nanoTime() - t0) / 1e9));
            assertEquals(last, octohost.served(app));
            awaitReplacedStopped(app, 2, load);
            load.stop();
            double rate = rate(load, start);
            System.out.printf("SwarmZeroDowntimeTest load: %s, %.0f requests/s%n%s", load.summary(), rate, steps);
            assertTrue(rate >= 200, String.format("%.0f requests/s is too few to mean anything: %s", rate, load.summary()));
            assertEquals(0, load.failures(), load.summary());
        }
    }

    @Test
    void aReleaseFailingItsHealthCheckIsRolledBackBySwarmAndThePushSaysWhyWhileTheOldOneServes() {
        String app = "sw-health";
        AppRepo repo = octohost.app(app);
        String v1 = Content.unique("swarm health v1");
        String sha1 = repo.staticSite(v1).write("www/health", "ok\n").commit("v1 with /health");
        PushResult first = repo.push("master");
        assertEquals(0, first.exitCode(), first::describe);
        Proc.Result check = octohost.octo(null, "config:set", app, "HEALTHCHECK_PATH=/health", "HEALTHCHECK_ATTEMPTS=2",
                "HEALTHCHECK_INTERVAL=1").orFail();
        assertTrue(check.output().contains("answers GET /health"), check::describe);
        assertEquals(2, releases(app));
        String runningImage = SwarmSetup.service(app, "{{.Spec.TaskTemplate.ContainerSpec.Image}}");

        long start = System.nanoTime();
        try (LoadLoop load = load(app, v1)) {
            load.awaitMore(100);
            // not accepted by the load: served even once, it counts as a failed request
            repo.staticSite(Content.unique("swarm health v2")).delete("www/health").commit("v2 without /health");

            PushResult rejected = repo.push("master");

            assertNotEquals(0, rejected.exitCode(), rejected::describe);
            assertTrue(rejected.output().contains("health check of " + app + ".1 failed: GET /health ->")
                    && rejected.output().contains("404"), () -> "expected the check's reason:\n" + rejected.describe());
            assertTrue(rejected.output().contains("Swarm rolled " + app + " back to v2"), rejected::describe);
            assertEquals(v1, octohost.served(app));
            assertEquals(sha1, repo.remoteRefs().get("refs/heads/master"), "a rejected push moved the branch");
            assertEquals(2, releases(app), "a rejected push is no release");
            assertEquals(runningImage, SwarmSetup.service(app, "{{.Spec.TaskTemplate.ContainerSpec.Image}}"));
            assertEquals(1, SwarmSetup.runningTasks(app).size());
            awaitReplacedStopped(app, 1, load);
            load.stop();
            double rate = rate(load, start);
            System.out.printf("SwarmZeroDowntimeTest health load: %s, %.0f requests/s%n", load.summary(), rate);
            assertTrue(rate >= 200, String.format("%.0f requests/s: %s", rate, load.summary()));
            assertEquals(0, load.failures(), load.summary());
        }
    }
}
