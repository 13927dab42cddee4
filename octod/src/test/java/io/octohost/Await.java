package io.octohost;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition in the unit tests: polls it, and fails saying what did not happen. */
public final class Await {
    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
