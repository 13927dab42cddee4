package io.octohost.settings;

import io.octohost.git.ReceiveLimits;
import io.octohost.ssh.SshLimits;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The limits of the SSH server and of what a push may bring: part of {@link Settings}. */
public final class SshSettings {
    @Option(names = "--ssh-max-auth-attempts", defaultValue = "${env:OCTOD_SSH_MAX_AUTH_ATTEMPTS:-6}", converter = Converters.Positive.class,
            description = "Keys a client may offer on one connection before it is cut off (OCTOD_SSH_MAX_AUTH_ATTEMPTS, default ${DEFAULT-VALUE}).")
    int maxAuthAttempts;

    @Option(names = "--ssh-max-connections-per-minute", defaultValue = "${env:OCTOD_SSH_MAX_CONNECTIONS_PER_MINUTE:-600}",
            converter = Converters.Positive.class,
            description = "SSH connections one source address may open in a minute; more are closed at once"
                    + " (OCTOD_SSH_MAX_CONNECTIONS_PER_MINUTE, default ${DEFAULT-VALUE}).")
    int maxConnectionsPerMinute;

    @Option(names = "--ssh-handshake-timeout", defaultValue = "${env:OCTOD_SSH_HANDSHAKE_TIMEOUT:-30}", converter = Converters.PositiveSeconds.class,
            description = "Seconds a connection has to agree on keys and authenticate (OCTOD_SSH_HANDSHAKE_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    @Option(names = "--ssh-idle-timeout", defaultValue = "${env:OCTOD_SSH_IDLE_TIMEOUT:-600}", converter = Converters.PositiveSeconds.class,
            description = "Seconds an SSH connection may pass with no traffic at all; a push's build output counts as traffic"
                    + " (OCTOD_SSH_IDLE_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--ssh-max-sessions", defaultValue = "${env:OCTOD_SSH_MAX_SESSIONS:-4}", converter = Converters.Positive.class,
            description = "Sessions (channels) one SSH connection may have open at once (OCTOD_SSH_MAX_SESSIONS, default ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--max-push-size", defaultValue = "${env:OCTOD_MAX_PUSH_SIZE:-1G}", converter = Converters.Size.class,
            description = "The largest pack a push may send, e.g. 1G or 200M (OCTOD_MAX_PUSH_SIZE, default ${DEFAULT-VALUE}).")
    long maxPushBytes;

    @Option(names = "--git-fsck", defaultValue = "${env:OCTOD_GIT_FSCK:-true}", arity = "1",
            description = "Check every pushed object as git fsck does (malformed objects, tree entries such as '..' or '.git')"
                    + " and refuse the push if one fails (OCTOD_GIT_FSCK, default ${DEFAULT-VALUE}).")
    boolean fsck;

    public SshLimits sshLimits() {
        return new SshLimits(maxAuthAttempts, maxConnectionsPerMinute, handshakeTimeout, idleTimeout, maxSessions);
    }

    public ReceiveLimits receiveLimits() {
        return new ReceiveLimits(maxPushBytes, fsck);
    }
}
