package io.octohost.discovery;

import io.octohost.app.ConfigKeys;
import io.octohost.app.UserError;
import io.octohost.state.AppConfigs;
import io.octohost.state.ConsulStateStore;
import io.octohost.state.StateUnavailable;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Follows {@code octohost/} in Consul's KV with blocking queries (Consul answers when the prefix
 * changes, or after the wait): no polling. Reports the apps whose {@code DOMAINS} value changed, and
 * any change at all (tags and checks of services come from config too).
 */
final class DomainsWatch implements Runnable {
    /** What the watch reports. */
    interface Listener {
        /** The first answer after a start or an outage: the state of all apps is new. */
        void reached();

        void failed(UserError e);

        /** Apps whose DOMAINS value differs from the previous answer (added, changed or removed). */
        void domainsChanged(Set<String> apps);

        /** Anything under octohost/ changed. */
        void configChanged();
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final ConsulStateStore consul;
    private final Listener listener;
    private final Backoff backoff;
    private volatile boolean closed;

    DomainsWatch(ConsulStateStore consul, Listener listener, Backoff backoff) {
        this.consul = consul;
        this.listener = listener;
        this.backoff = backoff;
    }

    void close() {
        closed = true;
    }

    @Override
    public void run() {
        BigInteger index = BigInteger.ZERO;
        Map<String, String> domains = null;
        int failures = 0;
        while (!closed && !Thread.currentThread().isInterrupted()) {
            ConsulStateStore.Snapshot snapshot;
            long started = System.nanoTime();
            try {
                snapshot = consul.listBlocking(AppConfigs.PREFIX, index, WAIT);
            } catch (UserError e) {
                if (closed) {
                    return;
                }
                listener.failed(e);
                if (!sleep(backoff.delay(failures++))) {
                    return;
                }
                index = BigInteger.ZERO; // answer at once when Consul is back
                continue;
            } catch (RuntimeException e) {
                listener.failed(new StateUnavailable(consul.reason(e), e));
                if (!sleep(backoff.delay(failures++))) {
                    return;
                }
                index = BigInteger.ZERO;
                continue;
            }
            boolean recovered = failures > 0 || domains == null;
            failures = 0;
            if (recovered) {
                listener.reached();
            }
            BigInteger next = snapshot.index();
            boolean sameIndex = next.equals(index);
            // Consul's rules: an index that goes backwards (a restored snapshot) restarts the watch
            index = next.compareTo(index) < 0 || next.signum() <= 0 ? BigInteger.ZERO : next;
            Map<String, String> now = domainsOf(snapshot.entries());
            if (domains != null) {
                // after an outage too: whatever changed meanwhile
                Set<String> changed = changedApps(domains, now);
                if (!changed.isEmpty()) {
                    listener.domainsChanged(changed);
                }
                if (recovered || !sameIndex) {
                    listener.configChanged();
                }
            }
            domains = now;
            // a blocking query that keeps answering at once with the same index must not spin
            if (sameIndex && System.nanoTime() - started < 100_000_000L && !sleep(Duration.ofSeconds(1))) {
                return;
            }
        }
    }

    static Set<String> changedApps(Map<String, String> before, Map<String, String> now) {
        Set<String> apps = new TreeSet<>(before.keySet());
        apps.addAll(now.keySet());
        apps.removeIf(a -> Objects.equals(before.get(a), now.get(a)));
        return apps;
    }

    /** {@code app -> DOMAINS value} for every {@code octohost/<app>/DOMAINS} key. */
    static Map<String, String> domainsOf(SortedMap<String, byte[]> entries) {
        Map<String, String> result = new TreeMap<>();
        String suffix = "/" + ConfigKeys.DOMAINS;
        entries.forEach((key, value) -> {
            if (key.startsWith(AppConfigs.PREFIX) && key.endsWith(suffix)) {
                String app = key.substring(AppConfigs.PREFIX.length(), key.length() - suffix.length());
                if (!app.isEmpty() && !app.contains("/")) {
                    result.put(app, new String(value, StandardCharsets.UTF_8));
                }
            }
        });
        return result;
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
