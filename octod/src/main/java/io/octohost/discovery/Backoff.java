package io.octohost.discovery;

import java.time.Duration;

/** Exponential backoff between retries: first, 2 x first, 4 x first ... up to max. */
record Backoff(Duration first, Duration max) {
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

    Duration delay(int failures) {
        long millis = first.toMillis() << Math.min(Math.max(failures, 0), 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
