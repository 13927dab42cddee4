package io.octohost.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.app.BuildStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The callbacks of one build. Nothing here blocks or fails the build: a status change is queued and
 * delivered on this build's own thread, to each status receiver in order, one at a time, retried with
 * backoff for a bounded time; log lines go through a second thread of their own, and are dropped
 * (and counted) rather than held when the queue is full.
 */
public final class BuildCallbacks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BuildCallbacks.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final int MAX_QUEUED = 10_000;
    private final String buildKey;
    private final JsonNode metadata;
    private final List<StatusSink> statusSinks;
    private final List<LogSink> logSinks;
    private final Duration retryFor;
    private final ExecutorService statusThread;
    private final ExecutorService logThread;

    BuildCallbacks(String buildKey, JsonNode metadata, List<StatusSink> statusSinks, List<LogSink> logSinks, Duration retryFor,
                   ThreadFactory threads) {
        this.buildKey = buildKey;
        this.metadata = metadata;
        this.statusSinks = statusSinks;
        this.logSinks = logSinks;
        this.retryFor = retryFor;
        this.statusThread = serial(threads);
        this.logThread = serial(threads);
    }

    private static ExecutorService serial(ThreadFactory threads) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), threads,
                new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Queues the status change for every status receiver; returns at once. */
    public void status(BuildStatus status) {
        StatusBody body = StatusBody.of(metadata, status);
        submit(statusThread, () -> statusSinks.forEach(sink -> deliver(sink, body)));
    }

    /** Queues one line of the build's log for every log receiver; returns at once. */
    public void line(String line) {
        if (!logSinks.isEmpty()) {
            submit(logThread, () -> logSinks.forEach(sink -> sink.line(line)));
        }
    }

    /** Ends the log streams; statuses still queued are delivered in the background. */
    @Override
    public void close() {
        submit(logThread, () -> logSinks.forEach(LogSink::close));
        logThread.shutdown();
        statusThread.shutdown();
    }

    /** Waits until everything queued was delivered or given up, for tests and an orderly stop. */
    public boolean awaitDelivered(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        return statusThread.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)
                && logThread.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static void submit(ExecutorService thread, Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: the build has ended and said so already
        }
    }

    private void deliver(StatusSink sink, StatusBody body) {
        Instant giveUp = Instant.now().plus(retryFor);
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                sink.deliver(buildKey, body);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (Instant.now().plus(backoff).isAfter(giveUp)) {
                    log.warn("status callback '{}' of build {} to {} given up after {} attempts: {}", body.status(), buildKey,
                            sink.describe(), attempt, Callbacks.reason(e));
                    return;
                }
                log.info("status callback '{}' of build {} to {} failed ({}), retrying in {} ms", body.status(), buildKey,
                        sink.describe(), Callbacks.reason(e), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
