package io.octohost.app;

import java.time.Duration;

/** An HTTP health check of a new container: GET path, up to attempts times, interval apart. */
public record HealthCheck(String path, int attempts, Duration interval, Duration timeout) {
}
