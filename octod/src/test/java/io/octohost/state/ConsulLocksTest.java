package io.octohost.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.session.ImmutableSession;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster locks of octods that share a Consul, against a real agent (scripts/consul start). */
@Tag("consul")
class ConsulLocksTest {
    private static ConsulAgent agent;
    private static ConsulStateStore store;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = ConsulAgent.start();
        store = new ConsulStateStore(agent.url(), Optional.empty());
    }

    @AfterAll
    static void stopAgent() throws Exception {
        store.close();
        agent.close();
    }

    @Test
    void aSecondOctodWaitsUntilTheFirstLetsGoAndTheKeyGoesWithTheLock() throws Exception {
        try (ConsulLocks one = new ConsulLocks(store, "one"); ConsulLocks two = new ConsulLocks(store, "two")) {
            ClusterLocks.Held held = one.acquire("hello", () -> { throw new AssertionError("nobody held it"); });
            assertEquals("octod one", new String(store.get(ConsulLocks.PREFIX + "hello").orElseThrow()));
            CountDownLatch waiting = new CountDownLatch(1);
            AtomicBoolean got = new AtomicBoolean();
            CompletableFuture<ClusterLocks.Held> second = CompletableFuture.supplyAsync(() -> {
                ClusterLocks.Held h = two.acquire("hello", waiting::countDown);
                got.set(true);
                return h;
            });
            assertTrue(waiting.await(10, TimeUnit.SECONDS), "the second octod was not told it waits");
            Thread.sleep(500);
            assertFalse(got.get(), "two octods held the lock at once");
            // another app's lock is free meanwhile
            two.acquire("other", () -> { throw new AssertionError("another app's lock was held"); }).close();

            held.close();

            second.get(10, TimeUnit.SECONDS).close();
            assertTrue(store.get(ConsulLocks.PREFIX + "hello").isEmpty(), "the lock's key stays after the last let go");
        }
    }

    @Test
    void anOctodStartingAgainEndsTheSessionsItsEarlierRunLeftAndTheirLocksGo() throws Exception {
        // a run killed while it held the lock: its session lives until its TTL runs out
        Consul consul = ConsulStateStore.connect(agent.url(), Optional.empty(), Duration.ofSeconds(10));
        String session = consul.sessionClient().createSession(ImmutableSession.builder().name("octod crashed").ttl("60s")
                .behavior("delete").lockDelay("0s").build()).getId();
        assertTrue(consul.keyValueClient().acquireLock(ConsulLocks.PREFIX + "app", "octod crashed", session));
        consul.destroy();

        try (ConsulLocks restarted = new ConsulLocks(store, "crashed"); ConsulLocks other = new ConsulLocks(store, "other")) {
            restarted.endEarlierSessions();
            other.acquire("app", () -> { throw new AssertionError("the crashed run's lock still held"); }).close();
        }
    }
}
