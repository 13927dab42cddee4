package io.octohost.http;

import io.octohost.app.Json;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.auth.Principal;
import io.octohost.builds.Build;
import io.octohost.builds.BuildEvents;
import io.octohost.builds.BuildService;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The monitor page (seed 002's {@code /monitor}): a static page, its script and style, served without
 * a token (the page asks for one and sends it with each API call), and {@code GET /v1/events}, the
 * server-sent events it follows: every build record of the apps the token may read, as it changes.
 */
final class MonitorEndpoints {
    /** A comment line this often keeps the stream (and proxies in between) from timing out idle. */
    static final long HEARTBEAT_SECONDS = 10;
    /** Records a slow reader may fall behind by; past it the stream ends, and the page reconnects and reloads. */
    private static final int BACKLOG = 1000;
    /** The page loads only from octod itself: no inline script, no other origin. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /**
     * How long one event stream lasts; the page then connects again, and that request checks its token
     * anew: a revoked token's open stream ends within this.
     */
    static final Duration LIFETIME = Duration.ofSeconds(60);
    private final BuildService builds;
    private final Duration lifetime;

    MonitorEndpoints(BuildService builds) {
        this(builds, LIFETIME);
    }

    MonitorEndpoints(BuildService builds, Duration lifetime) {
        this.builds = builds;
        this.lifetime = lifetime;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/monitor", ex -> page(ex, "monitor.html", "text/html; charset=utf-8")).open(),
                Route.get("/monitor/monitor.js", ex -> page(ex, "monitor.js", "text/javascript; charset=utf-8")).open(),
                Route.get("/monitor/monitor.css", ex -> page(ex, "monitor.css", "text/css; charset=utf-8")).open(),
                Route.get("/v1/events", this::events));
    }

    private static void page(Exchange ex, String file, String contentType) throws IOException {
        byte[] body = ApiRoutes.resource("monitor/" + file);
        ex.header("Content-Security-Policy", POLICY);
        ex.header("X-Content-Type-Options", "nosniff");
        ex.header("Cache-Control", "no-cache");
        try (OutputStream out = ex.stream(contentType)) {
            out.write(body);
        }
    }

    /**
     * Streams {@code event: build} with the record as JSON each time a build the caller may read is
     * created or changes, until the client goes (seen at the next write: a heartbeat at the latest) or
     * the stream's lifetime is over.
     */
    private void events(Exchange ex) throws IOException {
        Principal who = ex.principal();
        BlockingQueue<Build> queue = new LinkedBlockingQueue<>(BACKLOG);
        AtomicBoolean fellBehind = new AtomicBoolean();
        try (BuildEvents.Watch watch = builds.watch(b -> {
            if (Permissions.allows(who, Action.read(b.app())) && !queue.offer(b)) {
                fellBehind.set(true);
            }
        })) {
            ex.header("Cache-Control", "no-store");
            ex.header("X-Accel-Buffering", "no"); // nginx in front passes each event on at once
            OutputStream out = ex.stream("text/event-stream; charset=utf-8");
            send(out, ": build events of the apps this token may read\n\n");
            long end = System.nanoTime() + lifetime.toNanos();
            long left;
            while (!fellBehind.get() && (left = end - System.nanoTime()) > 0) {
                Build build = queue.poll(Math.min(left, TimeUnit.SECONDS.toNanos(HEARTBEAT_SECONDS)), TimeUnit.NANOSECONDS);
                if (build != null) {
                    send(out, "event: build\ndata: " + Json.write(build) + "\n\n");
                } else if (System.nanoTime() < end) {
                    send(out, ": heartbeat\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // octod stops
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
