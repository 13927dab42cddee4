package io.octohost.ssh;

import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Closes a connection at once, before any SSH is spoken, when its source address tried
 * {@code perMinute} others in the last minute: a flood of connections (or of guesses) costs octod
 * nothing. Refused attempts count too, so a source that keeps trying stays refused.
 */
final class ConnectionRate implements IoServiceEventListener {
    private static final Logger log = LoggerFactory.getLogger(ConnectionRate.class);
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private final int perMinute;
    private final Map<InetAddress, Deque<Long>> recent = new HashMap<>();

    ConnectionRate(int perMinute) {
        this.perMinute = perMinute;
    }

    @Override
    public void connectionAccepted(IoAcceptor acceptor, SocketAddress local, SocketAddress remote, SocketAddress service)
            throws IOException {
        if (remote instanceof InetSocketAddress address && !admit(address.getAddress(), System.nanoTime())) {
            throw new IOException("more than " + perMinute + " connections from " + address.getAddress().getHostAddress()
                    + " in a minute (--ssh-max-connections-per-minute)");
        }
    }

    /** Counts an attempt of the source; false when it is one too many this minute. */
    synchronized boolean admit(InetAddress source, long now) {
        recent.values().forEach(times -> forgetOlder(times, now));
        recent.values().removeIf(Deque::isEmpty);
        Deque<Long> times = recent.computeIfAbsent(source, k -> new ArrayDeque<>());
        boolean admitted = times.size() < perMinute;
        if (times.size() == perMinute) {
            log.warn("closing connections from {}: more than {} in a minute", source.getHostAddress(), perMinute);
        }
        times.addLast(now);
        if (times.size() > perMinute + 1) {
            times.removeFirst(); // the last perMinute + 1 attempts are all it takes to decide
        }
        return admitted;
    }

    private static void forgetOlder(Deque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= MINUTE_NANOS) {
            times.removeFirst();
        }
    }
}
