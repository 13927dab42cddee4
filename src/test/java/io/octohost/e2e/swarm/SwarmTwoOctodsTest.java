package io.octohost.e2e.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Http;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Streaming;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, acceptance 4: two octods (two hosts' worth: each its own data dir, git repos and nginx)
 * on one swarm and one Consul push the same app at once: the second push arrives while the first
 * builds, and the app's Consul lock makes it wait, then it deploys on top; both list the same release
 * history, the service runs the last release, and both nginx serve it.
 */
@Tag("swarm")
@Tag("docker")
@Tag("consul")
class SwarmTwoOctodsTest {
    @RegisterExtension
    @Order(1)
    static final SwarmSetup swarm = new SwarmSetup();

    @RegisterExtension
    @Order(2)
    static final Octohost first = swarm.octohost().build();

    /** The key list lives in the shared Consul: the second octod's admin key needs a name of its own. */
    @RegisterExtension
    @Order(3)
    static final Octohost second = swarm.octohost().adminKeyName("e2e-admin-2").build();

    private static final String APP = "sw-twin";

    /** A site whose build takes about three seconds: its RUN step follows a COPY of the unique page, so it is never cached. */
    private static void slowSite(AppRepo repo, String page) {
        repo.write("www/index.html", page);
        repo.dockerfile("FROM octohost/busybox:latest", "COPY www /www", "RUN sleep 3", "EXPOSE 80",
                "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]");
    }

    /** The app's releases, newest first, each as {@code "* v3\tabc1234"} ({@code *}: the current one). */
    private static List<String> releases(Octohost octohost) {
        return octohost.releases(APP).stream().map(r -> (r.path("current").asBoolean() ? "* " : "  ") + r.path("release").asText()
                + "\t" + r.path("commit").asText().substring(0, 7)).toList();
    }

    private static void awaitServed(Octohost octohost, String page) {
        Await.until(page + " served by the nginx of " + octohost.httpPort(), Duration.ofSeconds(15),
                () -> octohost.get(APP), (Http.Response r) -> r.status() == 200 && r.bodyText().equals(page));
    }

    @Test
    void pushesOfOneAppToTwoOctodsTakeTurnsAndEndInOneReleaseHistory() throws Exception {
        AppRepo viaFirst = first.app(APP);
        String base = Content.unique("twin base");
        slowSite(viaFirst, base);
        viaFirst.commit("base");
        PushResult initial = viaFirst.push("master");
        assertEquals(0, initial.exitCode(), initial::describe);

        // each octod keeps its own git repos: the second gets a history of its own
        AppRepo viaSecond = second.app(APP);
        String pageA = Content.unique("twin A");
        slowSite(viaFirst, pageA);
        String shaA = viaFirst.commit("A");
        String pageB = Content.unique("twin B");
        slowSite(viaSecond, pageB);
        String shaB = viaSecond.commit("B");

        // when: the second octod takes a push of the app while the first builds one
        Streaming a = viaFirst.startPush("master");
        a.await(l -> l.contains("-----> Building"), Duration.ofSeconds(60), "the first push's build");
        Streaming b = viaSecond.startPush("master");
        PushResult pushA = PushResult.of(a.result(Duration.ofSeconds(180)));
        PushResult pushB = PushResult.of(b.result(Duration.ofSeconds(180)));
        System.out.println("SwarmTwoOctodsTest:\n" + pushA.describe() + "\n" + pushB.describe());

        // then: both deployed, one after the other: the second built only once the first was live
        assertEquals(0, pushA.exitCode(), pushA::describe);
        assertEquals(0, pushB.exitCode(), pushB::describe);
        String waiting = "waiting for the deploy of " + APP + " to finish (another octod deploys it)";
        assertFalse(pushA.output().contains(waiting), pushA::describe);
        assertTrue(pushB.output().contains(waiting), pushB::describe);
        assertTrue(pushB.output().indexOf(waiting) < pushB.output().indexOf("-----> Building"), pushB::describe);

        // one history: v1 the base, then the two pushes in the order they deployed, the same on both octods
        List<String> history = releases(first);
        assertEquals(history, releases(second));
        assertEquals(3, history.size(), history::toString);
        assertTrue(history.get(0).startsWith("* v3\t" + shaB.substring(0, 7)), history::toString);
        assertTrue(history.get(1).startsWith("  v2\t" + shaA.substring(0, 7)), history::toString);

        // the service runs the last release, and both nginx serve it
        assertEquals("3", SwarmSetup.service(APP, "{{index .Spec.Labels \"octohost.release\"}}"));
        awaitServed(first, pageB);
        awaitServed(second, pageB);
    }
}
