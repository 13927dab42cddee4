package io.octohost.e2e.releases;

import com.fasterxml.jackson.databind.JsonNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Streaming;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, acceptance 6: pushes to one app are serialised and never interleave, and the app ends up
 * serving the commit its branch points to; pushes to two apps build side by side. Builds wait at a
 * {@link BuildGate} for the test, so "while the first push builds" is a fact, not a guess.
 */
@Tag("docker")
class ConcurrentPushTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    private static BuildGate gate;

    @BeforeAll
    static void openTheGates() {
        gate = BuildGate.start();
    }

    @AfterAll
    static void closeTheGates() {
        if (gate != null) gate.close();
    }

    /**
     * A site whose build waits at gate {@code name}: COPY first, so the unique page makes the RUN step
     * miss the cache; the RUN step prints when it starts and ends, in the host's uptime (/proc/uptime is
     * not namespaced), so two builds' times compare.
     */
    private static void slowSite(AppRepo repo, String page, String name) {
        repo.write("www/index.html", page);
        repo.dockerfile("FROM octohost/busybox:latest",
                "COPY www /www",
                "RUN echo \"sleep-start $(cut -d' ' -f1 /proc/uptime)\" && " + gate.step(name)
                        + " && echo \"sleep-end $(cut -d' ' -f1 /proc/uptime)\"",
                "EXPOSE 80",
                "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]");
    }

    private static double marker(PushResult push, String name) {
        Matcher m = Pattern.compile(name + " ([0-9.]+)").matcher(push.output());
        assertTrue(m.find(), () -> "no " + name + " in\n" + push.describe());
        return Double.parseDouble(m.group(1));
    }

    /** The commits named in the push's "Building APP (sha)" headers. */
    private static List<String> builtCommits(PushResult push) {
        Matcher m = Pattern.compile("-----> Building [a-z0-9-]+ \\(([0-9a-f]{7})\\)").matcher(push.output());
        List<String> shas = new java.util.ArrayList<>();
        while (m.find()) shas.add(m.group(1));
        return shas;
    }

    /**
     * Checks that one push's output is one deploy's coherent sequence: at most one build, of its own
     * commit, whose Docker steps count up 1/N..N/N without another build's steps in between.
     */
    private static void assertCoherent(PushResult push, String ownSha, String otherSha) {
        List<String> built = builtCommits(push);
        assertTrue(built.size() <= 1, () -> "more than one build in one push:\n" + push.describe());
        built.forEach(sha -> assertEquals(ownSha.substring(0, 7), sha, () -> "another push's build:\n" + push.describe()));
        // the other commit may only be named as the reason for a stale rejection
        assertTrue(push.output().lines().filter(l -> !l.contains("stale info")).noneMatch(l -> l.contains(otherSha.substring(0, 7))),
                () -> "the other push's commit shows:\n" + push.describe());
        Matcher steps = Pattern.compile("Step ([0-9]+)/([0-9]+) :").matcher(push.output());
        int expected = 1;
        while (steps.find()) {
            int n = Integer.parseInt(steps.group(1));
            assertEquals(expected, n, () -> "build steps out of order:\n" + push.describe());
            expected++;
        }
        // a stage sequence: Building, Starting, Routing, live; in that order when present
        String out = push.output();
        int building = out.indexOf("-----> Building");
        int starting = out.indexOf("-----> Starting");
        int live = out.indexOf(" is live");
        if (live >= 0) {
            assertTrue(building >= 0 && building < starting && starting < live, () -> "stages out of order:\n" + push.describe());
            assertEquals(out.lastIndexOf("-----> Building"), building, () -> "two builds:\n" + push.describe());
        }
    }

    @Test
    void twoPushesToOneAppDoNotInterleaveAndTheAppServesWhatItsBranchPointsTo() {
        String app = "rel-conc";
        AppRepo first = octohost.app(app);
        String base = Content.unique("conc base");
        slowSite(first, base, "base");
        gate.open("base");
        first.deploy("master", base);

        // a second clone of the same history, each adding its own commit on top of base
        AppRepo second = octohost.app(app);
        second.git("fetch", "-q", first.dir().toString(), "master").orFail();
        second.git("reset", "-q", "--hard", "FETCH_HEAD").orFail();
        String pageA = Content.unique("conc A");
        slowSite(first, pageA, "A");
        String shaA = first.commit("A");
        String pageB = Content.unique("conc B");
        slowSite(second, pageB, "B");
        String shaB = second.commit("B");

        // when: both push at once: B while A builds, and so holds the app
        Streaming a = first.startPush("master");
        gate.awaitArrival("A", TIMEOUT);
        Streaming b = second.startPush("master");
        b.await(l -> l.contains("waiting for the deploy of " + app), TIMEOUT, "B waiting for A");
        gate.open("A");
        gate.open("B"); // B must not build; should it, its build does not hang
        PushResult pushA = PushResult.of(a.result(TIMEOUT));
        PushResult pushB = PushResult.of(b.result(TIMEOUT));
        System.out.println("ConcurrentPushTest, one app:\n" + pushA.describe() + "\n" + pushB.describe());

        // then: each output is one coherent deploy, and one of them won
        assertCoherent(pushA, shaA, shaB);
        assertCoherent(pushB, shaB, shaA);
        String head = first.remoteRefs().get("refs/heads/master");
        assertTrue(head.equals(shaA) || head.equals(shaB), "master is at " + head);
        PushResult winner = head.equals(shaA) ? pushA : pushB;
        PushResult loser = head.equals(shaA) ? pushB : pushA;
        assertEquals(0, winner.exitCode(), winner::describe);
        assertNotEquals(0, loser.exitCode(), loser::describe);
        // the later one waited for the first and was then rejected as stale, without a build
        assertTrue(loser.output().contains("waiting for the deploy of " + app + " to finish"), loser::describe);
        assertTrue(loser.output().contains("stale info"), loser::describe);
        assertTrue(builtCommits(loser).isEmpty(), loser::describe);
        assertTrue(loser.output().indexOf("waiting for the deploy") < loser.output().indexOf("stale info"), loser::describe);

        // and the app serves the commit its branch points to
        assertEquals(head.equals(shaA) ? pageA : pageB, octohost.served(app));
        assertEquals(head, Docker.label(octohost.awaitOnlyContainer(app), "octohost.commit"));

        // a command for the app while a push deploys it waits, then runs on top of the push's release
        AppRepo current = head.equals(shaA) ? first : second;
        String pageC = Content.unique("conc C");
        slowSite(current, pageC, "C");
        String shaC = current.commit("C");
        Streaming c = current.startPush("master");
        gate.awaitArrival("C", TIMEOUT);
        Streaming setting = octohost.startOcto("config:set", app, "AFTER=push");
        setting.await(l -> l.contains("waiting for the deploy of " + app), TIMEOUT, "config:set waiting for the push");
        gate.open("C");
        PushResult pushC = PushResult.of(c.result(TIMEOUT));
        Proc.Result set = setting.result(TIMEOUT);
        assertEquals(0, pushC.exitCode(), pushC::describe);
        assertEquals(0, set.exitCode(), set::describe);
        assertTrue(set.output().contains("waiting for the deploy of " + app + " to finish"), set::describe);
        assertEquals(pageC, octohost.served(app));
        List<JsonNode> releases = octohost.releases(app);
        assertTrue(releases.get(0).path("current").asBoolean() && releases.get(0).path("description").asText().contains("config:set AFTER"),
                releases::toString);
        assertTrue(releases.get(1).path("description").asText().contains("push " + shaC.substring(0, 7)), releases::toString);
        assertEquals(shaC, Docker.label(octohost.awaitOnlyContainer(app), "octohost.commit"));
    }

    @Test
    void pushesToTwoAppsAtOnceBothSucceedAndTheirBuildsOverlap() {
        AppRepo a = octohost.app("rel-para-a");
        AppRepo b = octohost.app("rel-para-b");
        String pageA = Content.unique("para A");
        String pageB = Content.unique("para B");
        slowSite(a, pageA, "para-A");
        a.commit("A");
        slowSite(b, pageB, "para-B");
        b.commit("B");

        long t0 = System.nanoTime();
        Streaming sa = a.startPush("master");
        Streaming sb = b.startPush("master");
        // each build waits in its RUN step until both are in theirs: builds run one after the other, and this fails
        gate.awaitArrival("para-A", TIMEOUT);
        gate.awaitArrival("para-B", TIMEOUT);
        gate.open("para-A");
        gate.open("para-B");
        PushResult pushA = PushResult.of(sa.result(TIMEOUT));
        PushResult pushB = PushResult.of(sb.result(TIMEOUT));
        double both = (System.nanoTime() - t0) / 1e9;

        assertEquals(0, pushA.exitCode(), pushA::describe);
        assertEquals(0, pushB.exitCode(), pushB::describe);
        assertEquals(pageA, octohost.served("rel-para-a"));
        assertEquals(pageB, octohost.served("rel-para-b"));
        double startA = marker(pushA, "sleep-start");
        double endA = marker(pushA, "sleep-end");
        double startB = marker(pushB, "sleep-start");
        double endB = marker(pushB, "sleep-end");
        String timing = String.format("A sleeps %.2f..%.2f, B sleeps %.2f..%.2f (uptime s); both pushes took %.1f s",
                startA, endA, startB, endB, both);
        System.out.println("ConcurrentPushTest, two apps: " + timing);
        // overlap: each build's RUN step started before the other's ended
        assertTrue(Math.max(startA, startB) < Math.min(endA, endB), "the builds ran one after the other: " + timing);
        assertTrue(!pushA.output().contains("waiting for a build slot") && !pushB.output().contains("waiting for a build slot"),
                "two builds must fit --max-parallel-builds 2");
    }
}
