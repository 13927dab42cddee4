package io.octohost.e2e.api;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, acceptance 6: git-push builds and API builds are listed alike, with their logs, after
 * octod is killed with SIGKILL and started again; the build that was running then shows
 * {@code failed}, never stuck at {@code building}.
 */
@Tag("docker")
class BuildHistoryTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    @RegisterExtension
    static final ApiScenario scenario = new ApiScenario(octohost);

    @Test
    void pushAndApiBuildsAreListedAlikeWithTheirLogsAfterARestartAndTheOneRunningAtAKillShowsFailed() {
        BuildApi api = scenario.api();
        String admin = scenario.admin();
        AppRepo repo = octohost.deployed("hist", Content.unique("hist v1"));
        String v2 = Content.unique("hist v2");
        String apiBuild = scenario.build("hist", scenario.site("hist-v2", v2));
        assertEquals("succeeded", api.awaitEnd("hist", apiBuild, admin, Duration.ofSeconds(120)).get("status"));
        repo.dockerfile("FROM octohost/busybox:latest", "RUN echo slow-step " + UUID.randomUUID() + " && sleep 30").commit("slow");
        String running = scenario.build("hist", scenario.tarball("hist-slow", repo));
        Await.until("the slow step", Duration.ofSeconds(120), () -> api.log("hist", running, admin), l -> l.contains("slow-step"));
        assertEquals("building", api.build("hist", running, admin).get("status"));

        octohost.kill9();
        octohost.restartOctod();

        List<Map<String, Object>> builds = api.builds("hist", admin);
        assertEquals(3, builds.size(), builds::toString);
        assertEquals(List.of(running, apiBuild), List.of(builds.get(0).get("id"), builds.get(1).get("id")));
        assertEquals("failed", builds.get(0).get("status"));
        assertEquals("octod stopped during the build", builds.get(0).get("reason"));
        assertEquals(List.of("succeeded", "api", "ops", "v2"), List.of(builds.get(1).get("status"), builds.get(1).get("trigger"),
                builds.get(1).get("by"), builds.get(1).get("release")));
        Map<String, Object> pushed = builds.get(2);
        assertEquals(List.of("succeeded", "git-push", "e2e-admin", "v1"), List.of(pushed.get("status"), pushed.get("trigger"),
                pushed.get("by"), pushed.get("release")));
        assertTrue(((String) pushed.get("source")).startsWith("commit "), pushed::toString);
        assertTrue(api.log("hist", (String) pushed.get("id"), admin).contains("hist v1 is live"));
        assertTrue(api.log("hist", apiBuild, admin).contains("hist v2 is live"));
        assertTrue(api.log("hist", running, admin).contains("octod stopped during the build: failed"));
        assertEquals(v2, octohost.get("hist").bodyText());
        Await.until("no build container left", Duration.ofSeconds(30), () -> octohost.buildContainers("hist"), List::isEmpty);

        // octo lists them alike, and prints a push's log
        Proc.Result list = octohost.octo(null, "builds", "hist");
        assertEquals(0, list.exitCode(), list::describe);
        List<String> lines = list.output().lines().toList();
        assertEquals(4, lines.size(), list::describe);
        assertTrue(lines.get(0).matches("ID +STATUS +TRIGGER +BY +SOURCE +CREATED"), list::describe);
        assertTrue(lines.get(1).matches(running + " +failed +api +ops +.*") && lines.get(3).matches(".* +succeeded +git-push +e2e-admin +commit .*"),
                list::describe);
        Proc.Result log = octohost.octo(null, "builds:logs", "hist", (String) pushed.get("id"));
        assertTrue(log.output().contains("-----> Building hist") && log.output().contains("hist v1 is live"), log::describe);
    }
}
