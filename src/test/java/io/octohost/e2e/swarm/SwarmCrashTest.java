package io.octohost.e2e.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, acceptance 5: octod is killed with SIGKILL while Swarm rolls the app's service to a new
 * release. Started again, octod reconciles from the service, not from containers: the service runs
 * the unrecorded release, so it rolls it back to the last good one, which nginx serves; the app's
 * Consul lock of the killed octod does not hold the restart up; the next push works.
 */
@Tag("swarm")
@Tag("docker")
@Tag("consul")
class SwarmCrashTest {
    @RegisterExtension
    @Order(1)
    static final SwarmSetup swarm = new SwarmSetup();

    @RegisterExtension
    @Order(2)
    static final Octohost octohost = swarm.octohost().build();

    private static final String APP = "sw-crash";

    private static String release() {
        return SwarmSetup.service(APP, "{{index .Spec.Labels \"octohost.release\"}}");
    }

    @Test
    void killedDuringARollingUpdateOctodComesBackToTheLastGoodRelease() {
        AppRepo repo = octohost.app(APP);
        String good = Content.unique("crash good");
        String sha = repo.staticSite(good).write("www/health", "ok\n").commit("good");
        PushResult first = repo.push("master");
        assertEquals(0, first.exitCode(), first::describe);
        // two tasks, each healthy only after two seconds: the rolling update takes a while
        octohost.octo(null, "config:set", APP, "CONTAINERS=2", "HEALTHCHECK_PATH=/health", "HEALTHCHECK_INTERVAL=2").orFail();
        assertEquals("2", release());

        String next = Content.unique("crash next");
        String nextSha = repo.staticSite(next).commit("next");
        CompletableFuture<PushResult> push = CompletableFuture.supplyAsync(() -> repo.push("master"));
        // a service that Swarm has not updated yet has no UpdateStatus at all
        Await.until("Swarm rolling " + APP + " to v3", Duration.ofSeconds(90),
                () -> SwarmSetup.service(APP, "{{index .Spec.Labels \"octohost.release\"}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}"),
                s -> s.equals("3 updating"));
        octohost.kill9();
        PushResult killed = push.join();
        assertNotEquals(0, killed.exitCode(), killed::describe);

        octohost.restartOctod();

        assertEquals("2", release(), "the service runs the last release again");
        assertEquals(good, octohost.served(APP));
        assertEquals(2, SwarmSetup.runningTasks(APP).size());
        assertEquals(sha, repo.remoteRefs().get("refs/heads/master"), "the interrupted push moved the branch");
        List<String> releases = octohost.releases(APP).stream()
                .map(r -> r.path("release").asText() + (r.path("current").asBoolean() ? " (current)" : "")).toList();
        assertEquals(List.of("v2 (current)", "v1"), releases, "the interrupted deploy left no release");
        assertTrue(octohost.octodLogTail(40).contains("rolling it to v2"), octohost.octodLogTail(40));

        PushResult again = repo.push("master");
        assertEquals(0, again.exitCode(), again::describe);
        assertEquals(next, octohost.served(APP));
        assertEquals(nextSha, repo.remoteRefs().get("refs/heads/master"));
        assertEquals("3", release());
    }
}
