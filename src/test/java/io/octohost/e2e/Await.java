package io.octohost.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way the scenarios wait: for something that happens after a command returned (a container
 * drained, a process listening, a line printed, Consul's check ran), with a deadline, failing with the
 * last thing seen. A probe that throws a RuntimeException is asked again (a connection refused, say);
 * an AssertionError ends the wait at once. {@link #sleep} is for the few scenarios that must let time
 * pass to show that something does NOT happen.
 */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(100);

    private Await() {
    }

    /** Asks {@code probe} every 100 ms until {@code done} accepts its answer, and returns that answer. */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        return until(what, timeout, POLL, probe, done);
    }

    /** {@link #until(String, Duration, Supplier, Predicate)} for a yes/no condition. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition::getAsBoolean, Boolean::booleanValue);
    }

    /** As above, asking every {@code interval}; {@link Duration#ZERO} spins, to act at a moment that lasts milliseconds. */
    public static <T> T until(String what, Duration timeout, Duration interval, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException error = null;
        while (true) {
            try {
                last = probe.get();
                error = null;
                if (done.test(last)) return last;
            } catch (RuntimeException e) {
                error = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError(what + ": not within " + seconds(timeout) + "; last: "
                        + (error != null ? error : last));
                if (error != null) failure.initCause(error);
                throw failure;
            }
            if (interval.isZero()) Thread.onSpinWait();
            else sleep(interval);
        }
    }

    /** Lets time pass; an interrupt ends the test. */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping", e);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
