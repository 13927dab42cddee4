package io.octohost.e2e.releases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, acceptance 1 and 2: a load through nginx loses no request while the app is redeployed,
 * reconfigured and scaled, nor while a change or a push fails its health check.
 */
@Tag("docker")
class ZeroDowntimeTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder()
            .extraArgs("--drain-grace", "2", "--stop-timeout", "2")
            .build();

    /** A bounded load: a few threads, a short pause between requests, new connection each. */
    private static LoadLoop load(String app, String servedNow) {
        return LoadLoop.start(octohost.httpPort(), octohost.host(app), "/", 4, 100_000, Duration.ofSeconds(240), 2, servedNow);
    }

    private static Proc.Result octo(String... args) {
        return octohost.octo(null, args);
    }

    private static int releaseCount(String app) {
        return octohost.releases(app).size();
    }

    /**
     * The static site plus /cgi-bin/slow: the same page after a second, so that requests are still in
     * flight on the old containers when a switch happens; the drain must let them finish.
     */
    private static AppRepo site(AppRepo repo, String page) {
        repo.staticSite(page);
        repo.write("www/cgi-bin/slow", "#!/bin/sh\nsleep 1\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\nexec cat /www/index.html\n");
        try {
            Files.setPosixFilePermissions(repo.dir().resolve("www/cgi-bin/slow"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repo;
    }

    @Test
    void noRequestFailsDuringFiveRedeploysThreeConfigChangesAndAScaleFromOneToThreeToOne() {
        String app = "rel-zdt-load";
        AppRepo repo = octohost.app(app);
        String v0 = Content.unique("load v0");
        site(repo, v0).deploy("master", v0);

        assertEquals(v0, octohost.get(app, "/cgi-bin/slow").bodyText());

        StringBuilder timings = new StringBuilder();
        try (LoadLoop load = load(app, v0);
             LoadLoop slow = LoadLoop.start(octohost.httpPort(), octohost.host(app), "/cgi-bin/slow", 3, 10_000,
                     Duration.ofSeconds(240), 0, v0)) {
            load.awaitMore(50);
            slow.awaitMore(3);
            String last = v0;
            for (int i = 1; i <= 5; i++) {
                String v = Content.unique("load v" + i);
                load.accept(v);
                slow.accept(v);
                site(repo, v).commit("v" + i);
                long t0 = System.nanoTime();
                PushResult push = repo.push("master");
                timings.append(String.format("push v%d %.2f s%n", i, (System.nanoTime() - t0) / 1e9));
                assertEquals(0, push.exitCode(), push::describe);
                // live when the push returns: no retry
                assertEquals(v, octohost.served(app), "after push v" + i);
                last = v;
            }
            for (int i = 1; i <= 3; i++) {
                long t0 = System.nanoTime();
                Proc.Result set = octo("config:set", app, "ROUND=" + i);
                timings.append(String.format("config:set ROUND=%d %.2f s%n", i, (System.nanoTime() - t0) / 1e9));
                set.orFail();
                assertEquals(last, octohost.served(app), "after config:set ROUND=" + i);
            }
            long t0 = System.nanoTime();
            octo("ps:scale", app, "3").orFail();
            timings.append(String.format("ps:scale 3 %.2f s%n", (System.nanoTime() - t0) / 1e9));
            // the one old container drains in the background: then three are left
            List<String> three = octohost.awaitContainers(app, 3);
            for (String c : three) assertEquals("running", Docker.state(c));
            assertEquals(last, octohost.served(app));
            t0 = System.nanoTime();
            octo("ps:scale", app, "1").orFail();
            timings.append(String.format("ps:scale 1 %.2f s%n", (System.nanoTime() - t0) / 1e9));
            // keep the load on while the three old containers drain and stop
            octohost.awaitContainers(app, 1);
            load.awaitMore(100);
            load.stop();
            slow.stop();
            System.out.println("ZeroDowntimeTest load: " + load.summary() + "\n  slow requests (1 s each): "
                    + slow.summary() + "\n" + timings);
            assertTrue(load.requests() >= 2000, "too few requests to mean anything: " + load.summary());
            assertTrue(slow.requests() >= 30, "too few slow requests: " + slow.summary());
            assertEquals(0, load.failures(), load.summary());
            assertEquals(0, slow.failures(), "requests in flight on the old containers failed: " + slow.summary());
        }
        // 1 + 5 pushes, 3 config changes, 2 scales: 11 releases
        assertEquals(11, releaseCount(app), () -> octo("releases", app).describe());
        assertEquals("3", octo("config:get", app, "ROUND").orFail().trimmed());
    }

    @Test
    void aFailingHealthCheckRejectsAConfigChangeAndAPushWhileTheOldVersionServesEveryRequest() {
        String app = "rel-zdt-health";
        AppRepo repo = octohost.app(app);
        String v1 = Content.unique("health v1");
        String sha1 = repo.staticSite(v1).write("www/health", "ok\n").deploy("master", v1);

        try (LoadLoop load = load(app, v1)) {
            load.awaitMore(50);

            // a config change is a deploy: one whose containers fail the check is rejected and not stored
            Proc.Result bad = octo("config:set", app, "HEALTHCHECK_PATH=/missing", "HEALTHCHECK_ATTEMPTS=2",
                    "HEALTHCHECK_INTERVAL=1");
            assertNotEquals(0, bad.exitCode(), bad::describe);
            assertTrue(bad.output().contains("HTTP 404"), () -> "expected the check's last response (HTTP 404):\n" + bad.describe());
            assertEquals(v1, octohost.served(app));
            Proc.Result stored = octo("config:get", app, "HEALTHCHECK_PATH");
            assertNotEquals(0, stored.exitCode(), () -> "the rejected key was stored:\n" + stored.describe());
            assertFalse(octo("config", app).orFail().output().contains("HEALTHCHECK"), "a rejected change left keys behind");
            assertEquals(1, releaseCount(app), "a rejected change is no release");

            // a check that passes is a release
            Proc.Result good = octo("config:set", app, "HEALTHCHECK_PATH=/health", "HEALTHCHECK_ATTEMPTS=2",
                    "HEALTHCHECK_INTERVAL=1");
            good.orFail();
            assertTrue(good.output().contains("GET /health"), good::describe);
            assertEquals("/health", octo("config:get", app, "HEALTHCHECK_PATH").orFail().trimmed());
            assertEquals(2, releaseCount(app));

            // a push whose app fails the check is rejected, and the ref stays
            String v2 = Content.unique("health v2");
            // not accepted by the load: served even once, it counts as a failed request
            repo.staticSite(v2).delete("www/health").commit("v2 without /health");
            PushResult rejected = repo.push("master");
            assertNotEquals(0, rejected.exitCode(), rejected::describe);
            assertTrue(rejected.output().contains("HTTP 404"), () -> "expected the check's last response:\n" + rejected.describe());
            assertTrue(rejected.output().contains("/health"), rejected::describe);
            assertEquals(v1, octohost.served(app));
            assertEquals(sha1, repo.remoteRefs().get("refs/heads/master"), "a rejected push moved the branch");
            assertEquals(2, releaseCount(app), "a rejected push is no release");

            // the new containers went; the current release's container stayed
            String c = octohost.awaitOnlyContainer(app);
            assertEquals("2", Docker.label(c, "octohost.release"));
            load.awaitMore(100);
            load.stop();
            System.out.println("ZeroDowntimeTest health load: " + load.summary());
            assertTrue(load.requests() >= 200, load.summary());
            assertEquals(0, load.failures(), load.summary());
        }
    }
}
