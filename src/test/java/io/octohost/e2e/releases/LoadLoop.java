package io.octohost.e2e.releases;

import io.octohost.e2e.Await;
import io.octohost.e2e.Http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, loopback-only load through the fixture's nginx: a few threads, each sending
 * {@code GET path} with the app's Host header on a new connection per request, until {@link #stop()},
 * a request budget or a time limit. A request fails when it cannot connect or read, when the status
 * is not 200, or when the body is none of the accepted bodies (the versions pushed so far).
 */
final class LoadLoop implements AutoCloseable {
    private final int port;
    private final String host;
    private final String path;
    private final int maxRequests;
    private final long deadlineNanos;
    private final long pauseMillis;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final List<String> firstFailures = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private final long started = System.nanoTime();

    private LoadLoop(int port, String host, String path, int threads, int maxRequests, Duration maxTime, long pauseMillis) {
        this.port = port;
        this.host = host;
        this.path = path;
        this.maxRequests = maxRequests;
        this.deadlineNanos = System.nanoTime() + maxTime.toNanos();
        this.pauseMillis = pauseMillis;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, "load-" + i);
            t.setDaemon(true);
            this.threads.add(t);
        }
    }

    /** Starts the threads; {@code firstBody} is the body served now. */
    static LoadLoop start(int port, String host, String path, int threads, int maxRequests, Duration maxTime,
                          long pauseMillis, String firstBody) {
        LoadLoop load = new LoadLoop(port, host, path, threads, maxRequests, maxTime, pauseMillis);
        load.accept(firstBody);
        load.threads.forEach(Thread::start);
        return load;
    }

    /** A body that may be served from now on (call it before the change that serves it). */
    void accept(String body) {
        accepted.add(body);
    }

    private void run() {
        while (!stopped && System.nanoTime() < deadlineNanos) {
            if (sent.incrementAndGet() > maxRequests) {
                sent.decrementAndGet();
                return;
            }
            long t0 = System.nanoTime();
            String error = null;
            try {
                Http.Response r = Http.get(port, host, path);
                if (r.status() != 200) {
                    error = "HTTP " + r.status() + ": " + abbreviate(r.bodyText());
                } else if (!accepted.contains(r.bodyText())) {
                    error = "unexpected body: " + abbreviate(r.bodyText());
                }
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
            long latency = System.nanoTime() - t0;
            maxLatencyNanos.accumulateAndGet(latency, Math::max);
            if (error != null) {
                failed.incrementAndGet();
                synchronized (firstFailures) {
                    if (firstFailures.size() < 10) {
                        firstFailures.add(String.format("at %.2f s: %s", (t0 - started) / 1e9, error));
                    }
                }
            }
            if (pauseMillis > 0) Await.sleep(Duration.ofMillis(pauseMillis));
        }
    }

    private static String abbreviate(String s) {
        s = s.strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Stops the threads and waits for the requests in flight. */
    void stop() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits until {@code more} requests have been sent since the call: the load runs on across what just happened. */
    void awaitMore(int more) {
        int target = sent.get() + more;
        Await.until(more + " more requests of the load (" + summary() + ")", Duration.ofSeconds(60), () -> sent.get() >= target);
    }

    int requests() {
        return sent.get();
    }

    int failures() {
        return failed.get();
    }

    /** For assertion messages and the test's output. */
    String summary() {
        synchronized (firstFailures) {
            return String.format("%d requests in %.1f s, %d failed, max latency %d ms%s", sent.get(),
                    (System.nanoTime() - started) / 1e9, failed.get(), maxLatencyNanos.get() / 1_000_000,
                    firstFailures.isEmpty() ? "" : "; first failures:\n  " + String.join("\n  ", firstFailures));
        }
    }

    @Override
    public void close() {
        stop();
    }
}
