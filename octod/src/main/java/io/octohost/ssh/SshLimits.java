package io.octohost.ssh;

import java.time.Duration;

/**
 * How much the SSH server gives one client: keys offered per connection, connections per source
 * address and minute, time to authenticate, time without traffic, and sessions per connection.
 */
public record SshLimits(int maxAuthAttempts, int maxConnectionsPerMinute, Duration handshakeTimeout, Duration idleTimeout,
                        int maxSessions) {
}
