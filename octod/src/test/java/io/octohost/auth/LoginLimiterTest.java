package io.octohost.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoginLimiterTest {
    private Instant now = Instant.parse("2026-12-03T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final LoginLimiter limiter = new LoginLimiter(3, 5, Duration.ofMinutes(5), clock);

    @Test
    void aUserIsLimitedAfterTheirFailuresUntilTheOldestIsAWindowOld() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.waitFor("a@x.io", "10.0.0.1"));
            limiter.failed("a@x.io", "10.0.0.1");
            now = now.plusSeconds(60);
        }
        // failures at 0, 60, 120 s; now 180 s: the first is 300 s old at 300 s
        assertEquals(Optional.of(Duration.ofSeconds(120)), limiter.waitFor("A@X.io", "10.0.0.2"), "per user, whatever the case and address");
        assertEquals(Optional.empty(), limiter.waitFor("b@x.io", "10.0.0.2"), "another user from another address may try");
        now = now.plusSeconds(120);
        assertEquals(Optional.empty(), limiter.waitFor("a@x.io", "10.0.0.1"), "the oldest failure left the window");
    }

    @Test
    void anAddressIsLimitedAcrossUsersAndASuccessClearsOnlyTheUser() {
        for (int i = 0; i < 5; i++) {
            limiter.failed("u" + i + "@x.io", "10.0.0.9");
        }
        assertEquals(Optional.of(Duration.ofMinutes(5)), limiter.waitFor("new@x.io", "10.0.0.9"));
        assertEquals(Optional.empty(), limiter.waitFor("new@x.io", "10.0.0.8"));
        limiter.failed("a@x.io", "10.0.0.1");
        limiter.failed("a@x.io", "10.0.0.1");
        limiter.failed("a@x.io", "10.0.0.1");
        limiter.succeeded("a@x.io");
        assertEquals(Optional.empty(), limiter.waitFor("a@x.io", "10.0.0.2"));
    }
}
