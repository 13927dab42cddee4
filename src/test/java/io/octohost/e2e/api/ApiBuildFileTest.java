package io.octohost.e2e.api;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, acceptance 4, the API way in: an API build reads the source's octohost.yml for the app's
 * branch (master) too; a stage past its timeout is killed and fails the build, the old version serving.
 */
@Tag("docker")
class ApiBuildFileTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    @RegisterExtension
    static final ApiScenario scenario = new ApiScenario(octohost);

    @Test
    void anApiBuildRunsTheBuildFileOfTheAppsBranchAndAStagePastItsTimeoutFailsIt() {
        BuildApi api = scenario.api();
        String admin = scenario.admin();
        String v1 = Content.unique("ymlapi v1");
        AppRepo repo = octohost.deployed("ymlapi", v1);

        String v2 = Content.unique("ymlapi v2");
        repo.staticSite(v2).write("octohost.yml", String.join("\n",
                "default:",
                "  stages:",
                "    - {name: slow, run: 'echo slow-start; sleep 120', timeout: 3s}",
                "")).commit("a stage that never ends");
        String slow = scenario.build("ymlapi", scenario.tarball("ymlapi-slow", repo));
        Map<String, Object> failed = api.awaitEnd("ymlapi", slow, admin, Duration.ofSeconds(180));
        assertEquals(List.of("failed", "stage 'slow' failed: timed out after 3 s"), List.of(failed.get("status"), failed.get("reason")));
        assertTrue(api.log("ymlapi", slow, admin).contains("[slow] slow-start"));
        assertEquals(v1, octohost.get("ymlapi").bodyText());
        Await.until("the stage's container removed", Duration.ofSeconds(30), () -> octohost.buildContainers("ymlapi"), List::isEmpty);

        // the app's branch is master: its section replaces the stages and keeps an artifact
        repo.write("octohost.yml", String.join("\n",
                "default:",
                "  stages:",
                "    - {name: slow, run: 'sleep 120', timeout: 3s}",
                "branches:",
                "  master:",
                "    stages: []",
                "    artifacts: [{name: page, path: /www/index.html}]",
                "")).commit("master skips the stage");
        String ok = scenario.build("ymlapi", scenario.tarball("ymlapi-ok", repo));
        assertEquals("succeeded", api.awaitEnd("ymlapi", ok, admin, Duration.ofSeconds(180)).get("status"));
        assertEquals(v2, octohost.get("ymlapi").bodyText());
        HttpResponse<String> page = api.call("GET", "/v1/apps/ymlapi/builds/" + ok + "/artifacts/page", admin, null);
        assertEquals(200, page.statusCode());
        assertEquals(v2, page.body());
    }
}
