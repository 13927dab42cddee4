package io.octohost.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing: past {@code perUser} failed logins for one email, or {@code perAddress}
 * from one source address, within {@code window}, further logins for it are refused until the oldest
 * of those failures is {@code window} old (the wait is what a 429's Retry-After says). A successful
 * login clears its user's failures, not its address's.
 */
public final class LoginLimiter {
    private static final int MAX_KEYS = 10_000;
    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    /** octod's limits: 5 failed logins per user, 20 per address, in 5 minutes. */
    public static LoginLimiter standard(Clock clock) {
        return new LoginLimiter(5, 20, Duration.ofMinutes(5), clock);
    }

    public LoginLimiter(int perUser, int perAddress, Duration window, Clock clock) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
    }

    /** How long the login must wait, or empty when it may be tried now. */
    public synchronized Optional<Duration> waitFor(String email, String address) {
        Instant now = clock.instant();
        Optional<Duration> user = wait(userKey(email), perUser, now);
        Optional<Duration> addr = wait(addressKey(address), perAddress, now);
        if (user.isPresent() && addr.isPresent()) {
            return Optional.of(user.get().compareTo(addr.get()) > 0 ? user.get() : addr.get());
        }
        return user.isPresent() ? user : addr;
    }

    public synchronized void failed(String email, String address) {
        Instant now = clock.instant();
        if (failures.size() > MAX_KEYS) {
            // a spray of made-up emails: forget every key whose newest failure left the window
            failures.values().removeIf(seen -> !seen.peekLast().plus(window).isAfter(now));
        }
        failures.computeIfAbsent(userKey(email), k -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent(addressKey(address), k -> new ArrayDeque<>()).addLast(now);
    }

    public synchronized void succeeded(String email) {
        failures.remove(userKey(email));
    }

    private Optional<Duration> wait(String key, int limit, Instant now) {
        Deque<Instant> seen = failures.get(key);
        if (seen == null) {
            return Optional.empty();
        }
        while (!seen.isEmpty() && !seen.peekFirst().plus(window).isAfter(now)) {
            seen.removeFirst();
        }
        if (seen.isEmpty()) {
            failures.remove(key);
            return Optional.empty();
        }
        while (seen.size() > limit) {
            seen.removeFirst(); // only the newest `limit` failures decide the wait
        }
        return seen.size() < limit ? Optional.empty() : Optional.of(Duration.between(now, seen.peekFirst().plus(window)));
    }

    private static String userKey(String email) {
        return "user " + email.toLowerCase(java.util.Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address " + address;
    }
}
