package io.octohost.e2e.releases;

import com.fasterxml.jackson.databind.JsonNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Http;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Streaming;
import io.octohost.route.NginxRouter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, acceptance 7: kill -9 octod during a build, a health check and a switch; after a restart
 * the last good release serves, no container of an interrupted deploy is left, and the next push
 * works. And dockerd restarts and gives the containers new host ports: once octod reconciles, every
 * app is served again. The dockerd restart stops every container on the machine, other checkouts'
 * too: it is tagged {@code dockerd-restart}, to leave it out where the machine is shared.
 */
@Tag("docker")
class CrashRecoveryTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder()
            .extraArgs("--drain-grace", "1", "--stop-timeout", "2", "--reconcile-interval", "1")
            .build();

    private static final String BUILD = "rel-kill-build";
    private static final String CHECK = "rel-kill-check";
    private static final String SWITCH = "rel-kill-switch";
    private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(120);

    @AfterAll
    static void dockerdRuns() {
        Dockerd.ensureRunning();
    }

    // ------------------------------------------------------------------ helpers

    private static Proc.Result octo(String... args) {
        return octohost.octo(null, args);
    }

    /** The number of the release {@code octo releases} marks as running. */
    private static int currentRelease(String app) {
        List<JsonNode> releases = octohost.releases(app);
        JsonNode current = releases.stream().filter(r -> r.path("current").asBoolean()).findFirst()
                .orElseThrow(() -> new AssertionError("no current release of " + app + ": " + releases));
        return Integer.parseInt(current.path("release").asText().substring(1));
    }

    /** Only the current release's containers are left, all running, as many as the app runs. */
    private static void assertNoOrphans(String app, int release) {
        List<String> ids = octohost.containers(app);
        assertOnly(app, release, ids);
    }

    /** After a push: the replaced container drains in the background first. */
    private static void assertNoOrphansOnceDrained(String app, int release) {
        assertOnly(app, release, octohost.awaitContainers(app, 1));
    }

    private static void assertOnly(String app, int release, List<String> ids) {
        List<String> described = new ArrayList<>();
        for (String id : ids) {
            described.add(id.substring(0, 12) + " release " + Docker.label(id, "octohost.release") + " " + Docker.state(id));
        }
        assertEquals(1, ids.size(), () -> "containers of " + app + ": " + described);
        assertEquals(Integer.toString(release), Docker.label(ids.get(0), "octohost.release"), described::toString);
        assertEquals("running", Docker.state(ids.get(0)), described::toString);
    }

    /** The app's images are those of its releases only: none of an interrupted deploy. */
    private static void assertOnlyReleaseImages(String app) {
        Proc.Result r = octo("releases", app, "--json").orFail();
        java.util.Set<String> released = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("\"image\"\\s*:\\s*\"(?:sha256:)?([0-9a-f]{12})[0-9a-f]*\"").matcher(r.output());
        while (m.find()) released.add(m.group(1));
        assertTrue(!released.isEmpty(), r::describe);
        java.util.Set<String> images = new java.util.TreeSet<>();
        for (String id : octohost.images(app)) images.add(id.replaceFirst("^sha256:", "").substring(0, 12));
        assertEquals(released, images, () -> "images of " + app + " that no release runs:\n" + r.output());
    }

    /**
     * A static site with a CGI that answers after {@code seconds}: a slow health check. It touches
     * /checked when asked, so the test sees that a check is under way.
     */
    private static AppRepo slowCheckSite(AppRepo repo, String page, int seconds) {
        repo.staticSite(page);
        repo.write("www/cgi-bin/slow", "#!/bin/sh\ntouch /checked\nsleep " + seconds + "\nprintf 'Content-Type: text/plain\\r\\n\\r\\nok\\n'\n");
        try {
            Files.setPosixFilePermissions(repo.dir().resolve("www/cgi-bin/slow"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repo;
    }

    /** kill -9 octod during the push, start it again on the same data dir, ports and nginx; returns the push's exit code. */
    private static int killAndRestart(Streaming push) {
        octohost.kill9();
        int exit = push.waitFor(Duration.ofSeconds(60));
        octohost.restartOctod();
        return exit;
    }

    /** {@link #killAndRestart} where the test holds the push mid-way: it must die with octod. */
    private static void killMidPushAndRestart(Streaming push) {
        assertNotEquals(0, killAndRestart(push), () -> "a push whose octod was killed succeeded:\n" + push.describe());
    }

    // ------------------------------------------------------------------ kill -9 scenarios

    @Test
    void killDuringABuild() {
        AppRepo repo = octohost.app(BUILD);
        String page1 = Content.unique("kill-build v1");
        String sha1 = repo.staticSite(page1).deploy("master", page1);

        String page2 = Content.unique("kill-build v2");
        repo.write("www/index.html", page2);
        repo.dockerfile("FROM octohost/busybox:latest", "COPY www /www", "RUN echo building-slowly && sleep 5", "EXPOSE 80",
                "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]");
        repo.commit("v2, slow to build");
        Streaming p = repo.startPush("master");
        p.await(l -> l.contains("-----> Building " + BUILD), PUSH_TIMEOUT, "Building");
        p.await(l -> l.strip().endsWith("building-slowly"), PUSH_TIMEOUT, "the RUN step's output");
        killMidPushAndRestart(p);

        // the last good release serves, nothing of the interrupted deploy is left, the branch did not move
        assertEquals(page1, octohost.served(BUILD));
        assertEquals(1, currentRelease(BUILD));
        assertNoOrphans(BUILD, 1);
        assertOnlyReleaseImages(BUILD);
        assertEquals(sha1, repo.remoteRefs().get("refs/heads/master"));

        // the next push succeeds
        String page3 = Content.unique("kill-build v3");
        repo.staticSite(page3).deploy("master", page3);
        assertNoOrphansOnceDrained(BUILD, 2);
    }

    @Test
    void killDuringAHealthCheck() {
        AppRepo repo = octohost.app(CHECK);
        String page1 = Content.unique("kill-check v1");
        slowCheckSite(repo, page1, 30).deploy("master", page1);
        // from the next release on, new containers must answer GET /cgi-bin/slow, which takes 30 s
        octo("config:set", "--no-restart", CHECK, "HEALTHCHECK_PATH=/cgi-bin/slow", "HEALTHCHECK_ATTEMPTS=1",
                "HEALTHCHECK_TIMEOUT=60").orFail();

        String page2 = Content.unique("kill-check v2");
        slowCheckSite(repo, page2, 30).commit("v2");
        Streaming p = repo.startPush("master");
        String started = p.await(l -> l.contains("started " + CHECK + "."), PUSH_TIMEOUT, "the new container").text();
        String container = startedContainer(started, CHECK);
        Await.until("the health check's GET reaches " + container, Duration.ofSeconds(60),
                () -> Proc.of("docker", "exec", container, "test", "-e", "/checked").run().ok());
        assertEquals(2, octohost.containers(CHECK).size(), "the new container should be under its health check");
        assertTrue(!p.output().contains("answers GET"), () -> "the check was over before the kill:\n" + p.describe());
        killMidPushAndRestart(p);

        assertEquals(page1, octohost.served(CHECK));
        assertEquals(1, currentRelease(CHECK));
        assertNoOrphans(CHECK, 1);
        assertOnlyReleaseImages(CHECK);

        String page3 = Content.unique("kill-check v3");
        slowCheckSite(repo, page3, 1).deploy("master", page3);
        assertNoOrphansOnceDrained(CHECK, 2);
    }

    @Test
    void killDuringASwitch() {
        AppRepo repo = octohost.app(SWITCH);
        String page1 = Content.unique("kill-switch v1");
        repo.staticSite(page1).deploy("master", page1);

        String page2 = Content.unique("kill-switch v2");
        repo.staticSite(page2).commit("v2");
        Streaming p = repo.startPush("master");
        String container = startedContainer(p.await(l -> l.contains("started " + SWITCH + "."), PUSH_TIMEOUT, "the new container").text(),
                SWITCH);
        // the switch begins when octod writes the nginx file with the new container: kill right then (spinning: it lasts milliseconds)
        Await.until("octod routes " + container, Duration.ofSeconds(60), Duration.ZERO, octohost::routes, r -> r.contains(container));
        // the switch's tail (reload, confirm, record) takes a few tens of ms, so the kill may land after it: then the push succeeded
        boolean pushSucceeded = killAndRestart(p) == 0;

        // whichever side of the switch the kill fell on, what runs is the release octod recorded, and only that
        int current = currentRelease(SWITCH);
        System.out.println("CrashRecoveryTest: killed during the switch, release after restart: v" + current
                + (pushSucceeded ? " (the push had finished)" : current == 1 ? " (the kill came before the release was recorded)" : " (the release was recorded)"));
        assertTrue(current == 1 || current == 2, "release v" + current);
        if (pushSucceeded) assertEquals(2, current, () -> "a push that succeeded is the current release:\n" + p.describe());
        assertEquals(current == 1 ? page1 : page2, octohost.served(SWITCH));
        assertNoOrphans(SWITCH, current);
        assertOnlyReleaseImages(SWITCH);

        String page3 = Content.unique("kill-switch v3");
        repo.staticSite(page3).deploy("master", page3);
        assertNoOrphansOnceDrained(SWITCH, current + 1);
    }

    @Test
    void aContainerRemovedWhileOctodIsDownIsStartedAgainAtStart() {
        String app = "rel-kill-gone";
        String page = Content.unique("kill-gone");
        octohost.deployed(app, page);
        int release = currentRelease(app);
        String gone = octohost.awaitOnlyContainer(app);
        String generation = servedGeneration();
        octohost.kill9();
        Docker.removeContainers(List.of(gone));
        octohost.restartOctod();

        assertEquals(page, octohost.served(app));
        assertNoOrphans(app, release);
        assertNotEquals(gone, octohost.onlyContainer(app));
        assertEquals(release, currentRelease(app), "starting what is missing is no new release");
        assertNotEquals(generation, servedGeneration(), "the new container's route must be loaded");
    }

    @Test
    void aRestartWhereEveryContainerStillRunsReloadsNothing() {
        String app = "rel-kill-kept";
        String page = Content.unique("kill-kept");
        AppRepo repo = octohost.deployed(app, page);
        String container = octohost.awaitOnlyContainer(app);
        String generation = servedGeneration();
        octohost.kill9();
        octohost.restartOctod();

        assertEquals(generation, servedGeneration(), "nginx serves the same routes: no reload");
        assertEquals(container, octohost.onlyContainer(app));
        assertEquals(page, octohost.served(app));
        String page2 = Content.unique("kill-kept v2");
        repo.staticSite(page2).deploy("master", page2);
        assertNotEquals(generation, servedGeneration(), "the next deploy reloads nginx again");
    }

    /** The generation of routes nginx serves, as its probe answers it ("GENERATION WORKER-PID"). */
    private static String servedGeneration() {
        Http.Response answer = Http.get(octohost.httpPort(), NginxRouter.PROBE_HOST, NginxRouter.PROBE_PATH);
        assertEquals(200, answer.status(), answer::toString);
        return answer.bodyText().strip().split(" ")[0];
    }

    /** The container a "started NAME (ID)" line of a push names. */
    private static String startedContainer(String line, String app) {
        Matcher m = Pattern.compile("started (" + Pattern.quote(app) + "\\.[a-z0-9]+\\.[0-9]+)").matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }

    // ------------------------------------------------------------------ dockerd restart

    @Test
    @Tag("dockerd-restart")
    void afterADockerdRestartWithNewHostPortsEveryAppIsServedAgain() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String app : List.of("rel-restart-a", "rel-restart-b", "rel-restart-c")) {
            expected.put(app, Content.unique(app));
            octohost.deployed(app, expected.get(app));
        }
        Map<String, Integer> before = hostPorts(expected.keySet());

        List<ServerSocket> held = new ArrayList<>();
        Map<String, Integer> after;
        try {
            Dockerd.stop();
            // as after a reboot, where other programs may have taken them: Docker must pick other host ports
            for (int port : before.values()) {
                try {
                    held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                } catch (IOException e) {
                    System.out.println("CrashRecoveryTest: cannot hold port " + port + ": " + e);
                }
            }
            Dockerd.start();
            after = awaitRunningWithPorts(expected.keySet());
        } finally {
            for (ServerSocket s : held) s.close();
            Dockerd.ensureRunning();
        }
        System.out.println("CrashRecoveryTest: host ports before the dockerd restart " + before + ", after " + after);

        long t0 = System.nanoTime();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            // octod learns of the new ports from Docker's events or its reconcile loop: served again, after a while
            Await.until(e.getKey() + " is served again (routes:\n" + octohost.routes() + ")", Duration.ofSeconds(60),
                    () -> octohost.get(e.getKey()), r -> r.status() == 200 && r.bodyText().equals(e.getValue()));
        }
        System.out.printf("CrashRecoveryTest: every app served %.1f s after its containers ran again%n", (System.nanoTime() - t0) / 1e9);
        assertNotEquals(before, after, "Docker gave the containers the same host ports: nothing to reconcile");
        for (String app : expected.keySet()) assertNoOrphans(app, currentRelease(app));
    }

    /** Each app's container's host port (the apps run one container each). */
    private static Map<String, Integer> hostPorts(Set<String> apps) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String app : apps) {
            String id = octohost.containers(app).get(0);
            String out = Proc.of("docker", "port", id, "80/tcp").run().orFail().trimmed();
            ports.put(app, Integer.parseInt(out.lines().findFirst().orElseThrow().replaceFirst(".*:", "")));
        }
        return ports;
    }

    /** Waits until Docker has started every app's container again; returns their host ports. */
    private static Map<String, Integer> awaitRunningWithPorts(Set<String> apps) {
        Await.until("Docker restarts the containers of " + apps, Duration.ofSeconds(60), () -> apps.stream().allMatch(app -> {
            List<String> ids = octohost.containers(app);
            return !ids.isEmpty() && ids.stream().allMatch(id -> Docker.state(id).equals("running"));
        }));
        return hostPorts(apps);
    }
}
