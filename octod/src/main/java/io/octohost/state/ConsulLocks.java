package io.octohost.state;

import io.octohost.app.UserError;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.KeyValueClient;
import org.kiwiproject.consul.SessionClient;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.kv.Value;
import org.kiwiproject.consul.model.session.ImmutableSession;
import org.kiwiproject.consul.model.session.SessionInfo;
import org.kiwiproject.consul.option.QueryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Consul's session locks: the lock on NAME is the key {@code octod/locks/NAME}, acquired with a
 * session of its own (TTL 15 s, renewed every 5 s while held). A waiter blocks on the key until its
 * holder lets go. Letting go destroys the session, which deletes the key (behaviour {@code delete},
 * no lock delay); an octod that dies lets go when its session's TTL runs out, or when it starts
 * again (it ends the sessions of its earlier run, which cannot hold anything any more).
 */
public final class ConsulLocks implements ClusterLocks, AutoCloseable {
    public static final String PREFIX = "octod/locks/";
    private static final Logger log = LoggerFactory.getLogger(ConsulLocks.class);
    private static final String TTL = "15s";
    private static final Duration RENEW = Duration.ofSeconds(5);
    private static final int WAIT_SECONDS = 10;

    private final ConsulStateStore store;
    private final Consul consul;
    private final SessionClient sessions;
    private final KeyValueClient kv;
    private final String owner;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "consul-locks");
        t.setDaemon(true);
        return t;
    });

    /** {@code instanceId} names this octod's sessions, {@code octod <instance-id>}. */
    public ConsulLocks(ConsulStateStore store, String instanceId) {
        this.store = store;
        this.consul = ConsulStateStore.connect(store.url(), store.token(), Duration.ofSeconds(WAIT_SECONDS + 15));
        this.sessions = consul.sessionClient();
        this.kv = consul.keyValueClient();
        this.owner = "octod " + instanceId;
        renewer.scheduleWithFixedDelay(this::renew, RENEW.toMillis(), RENEW.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the sessions an earlier run of this octod left behind (a kill -9): their locks go at once. */
    public void endEarlierSessions() {
        for (SessionInfo s : store.call(sessions::listSessions)) {
            if (owner.equals(s.getName().orElse("")) && !held.contains(s.getId())) {
                log.info("ending session {} of an earlier run of this octod: its locks go", s.getId());
                store.call(() -> {
                    sessions.destroySession(s.getId());
                    return null;
                });
            }
        }
    }

    @Override
    public Held acquire(String name, Runnable onWait) {
        String key = PREFIX + name;
        String session = store.call(() -> sessions.createSession(ImmutableSession.builder().name(owner).ttl(TTL)
                .behavior("delete").lockDelay("0s").build()).getId());
        held.add(session);
        try {
            boolean told = false;
            BigInteger index = BigInteger.ZERO;
            while (!store.call(() -> kv.acquireLock(key, owner, session))) {
                if (!told) {
                    onWait.run();
                    told = true;
                }
                index = awaitChange(key, index);
            }
            return () -> letGo(session);
        } catch (RuntimeException | Error e) {
            letGo(session);
            throw e;
        }
    }

    /** Blocks until the key changes after {@code index} (its holder let go), at most a few seconds. */
    private BigInteger awaitChange(String key, BigInteger index) {
        QueryOptions options = QueryOptions.blockSeconds(WAIT_SECONDS, index).build();
        Optional<ConsulResponse<Value>> response = store.call(() -> kv.getConsulResponseWithValue(key, options));
        if (response.isEmpty() || response.get().getIndex() == null) {
            sleep(); // gone between the two calls: try again
            return BigInteger.ZERO;
        }
        return response.get().getIndex();
    }

    private void letGo(String session) {
        held.remove(session);
        try {
            sessions.destroySession(session);
        } catch (RuntimeException e) {
            log.warn("could not end the lock session {} ({}); its lock goes when its TTL runs out", session, store.reason(e));
        }
    }

    private void renew() {
        for (String session : held) {
            try {
                if (sessions.renewSession(session).isEmpty()) {
                    log.warn("the lock session {} expired while held", session);
                }
            } catch (RuntimeException e) {
                log.warn("could not renew the lock session {}: {}", session, store.reason(e));
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        held.forEach(this::letGo);
        consul.destroy();
    }
}
