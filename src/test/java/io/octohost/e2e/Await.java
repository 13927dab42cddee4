package io.octohost.e2e;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for something that happens after a command returned (Consul's checks, a watch), with a deadline. */
public final class Await {
    private Await() {
    }

    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
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
                AssertionError failure = new AssertionError(what + ": not within " + timeout.toSeconds() + " s; last: "
                        + (error != null ? error : last));
                if (error != null) failure.initCause(error);
                throw failure;
            }
            Nginx.sleep(100);
        }
    }
}
