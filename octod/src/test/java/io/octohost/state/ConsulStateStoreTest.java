package io.octohost.state;

import io.octohost.app.UserError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ConsulStateStore against a real Consul agent (scripts/consul start). */
@Tag("consul")
class ConsulStateStoreTest {
    private static ConsulAgent agent;
    private static ConsulStateStore store;

    @BeforeAll
    static void startAgent() throws Exception {
        long t0 = System.nanoTime();
        agent = ConsulAgent.start();
        System.out.println("consul agent " + agent.url() + " started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        store = new ConsulStateStore(agent.url(), Optional.empty());
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (store != null) {
            store.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @BeforeEach
    void clean() {
        store.apply(List.of(new StateStore.Change.DeletePrefix("")));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void valuesAreKeptByteExact() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] text = utf8("héllo wörld = \"x\" $HOME 'q' \\ \n second line\r\n\t✓ 😀");
        store.put("octohost/hello/BYTES", all);
        store.put("octohost/hello/TEXT", text);
        store.put("octohost/hello/EMPTY", new byte[0]);
        store.put("octohost/hello/NL", utf8("\n"));

        assertArrayEquals(all, store.get("octohost/hello/BYTES").orElseThrow());
        assertArrayEquals(text, store.get("octohost/hello/TEXT").orElseThrow());
        assertArrayEquals(new byte[0], store.get("octohost/hello/EMPTY").orElseThrow(), "an empty value is a value");
        assertArrayEquals(utf8("\n"), store.get("octohost/hello/NL").orElseThrow());
        assertTrue(store.get("octohost/hello/MISSING").isEmpty());

        SortedMap<String, byte[]> listed = store.list("octohost/hello/");
        assertEquals(List.of("octohost/hello/BYTES", "octohost/hello/EMPTY", "octohost/hello/NL", "octohost/hello/TEXT"),
                new ArrayList<>(listed.keySet()));
        assertArrayEquals(all, listed.get("octohost/hello/BYTES"));
        assertArrayEquals(new byte[0], listed.get("octohost/hello/EMPTY"));
    }

    @Test
    void keysWithUnusualCharactersWork() {
        String key = "octod/keys/alice@host.example-1_x";
        String unicode = "octohost/ünï/KEY with space?#%";
        store.put(key, utf8("a"));
        store.put(unicode, utf8("b"));
        assertArrayEquals(utf8("a"), store.get(key).orElseThrow());
        assertArrayEquals(utf8("b"), store.get(unicode).orElseThrow());
        assertEquals(List.of(unicode), new ArrayList<>(store.list("octohost/ünï/").keySet()));
    }

    @Test
    void listIsAPrefixMatchInKeyOrder() {
        store.put("octohost/hello/B", utf8("2"));
        store.put("octohost/hello/A", utf8("1"));
        store.put("octohost/hello-web/A", utf8("3"));
        store.put("octod/apps/hello", utf8("x"));

        assertEquals(List.of("octohost/hello/A", "octohost/hello/B"), new ArrayList<>(store.list("octohost/hello/").keySet()));
        assertEquals(List.of("octohost/hello-web/A", "octohost/hello/A", "octohost/hello/B"),
                new ArrayList<>(store.list("octohost/").keySet()));
        assertTrue(store.list("octohost/nothing/").isEmpty());
        assertEquals(4, store.list("").size());
    }

    @Test
    void applyIsAllOrNothing() {
        store.put("octohost/a/KEEP", utf8("old"));
        List<StateStore.Change> changes = new ArrayList<>();
        changes.add(new StateStore.Change.Put("octohost/a/NEW", utf8("new")));
        changes.add(new StateStore.Change.Delete("octohost/a/KEEP"));
        // Consul refuses a value over 512 KB: the whole transaction must fail
        changes.add(new StateStore.Change.Put("octohost/a/BIG", new byte[600 * 1024]));
        UserError e = assertThrows(UserError.class, () -> store.apply(changes));
        assertTrue(e.getMessage().startsWith("state store unavailable: "), e.getMessage());

        assertTrue(store.get("octohost/a/NEW").isEmpty(), "nothing of a failed transaction is written");
        assertArrayEquals(utf8("old"), store.get("octohost/a/KEEP").orElseThrow());

        store.apply(List.of(new StateStore.Change.Put("octohost/a/NEW", utf8("new")), new StateStore.Change.Delete("octohost/a/KEEP")));
        assertArrayEquals(utf8("new"), store.get("octohost/a/NEW").orElseThrow());
        assertTrue(store.get("octohost/a/KEEP").isEmpty());
    }

    @Test
    void changesApplyInOrder() {
        store.apply(List.of(new StateStore.Change.Put("octohost/o/K", utf8("1")),
                new StateStore.Change.DeletePrefix("octohost/o/"),
                new StateStore.Change.Put("octohost/o/L", utf8("2")),
                new StateStore.Change.Put("octohost/o/L", utf8("3"))));
        assertEquals(List.of("octohost/o/L"), new ArrayList<>(store.list("octohost/o/").keySet()));
        assertArrayEquals(utf8("3"), store.get("octohost/o/L").orElseThrow());
    }

    @Test
    void deletePrefixRemovesOnlyThatPrefix() {
        store.put("octohost/hello/A", utf8("1"));
        store.put("octohost/hello/B", utf8("2"));
        store.put("octohost/hello-web/A", utf8("3"));
        store.put("octod/releases/hello/v1", utf8("r"));

        store.apply(List.of(new StateStore.Change.DeletePrefix("octohost/hello/"), new StateStore.Change.DeletePrefix("octod/releases/hello/")));

        assertTrue(store.list("octohost/hello/").isEmpty());
        assertEquals(List.of("octohost/hello-web/A"), new ArrayList<>(store.list("octohost/").keySet()));
        assertTrue(store.list("octod/").isEmpty());
    }

    @Test
    void sixtyFourChangesFitOneTransactionAndMoreAreRefusedWhole() {
        List<StateStore.Change> max = new ArrayList<>();
        for (int i = 0; i < ConsulStateStore.MAX_TXN_OPS; i++) {
            max.add(new StateStore.Change.Put("octohost/many/K" + i, utf8("v" + i)));
        }
        store.apply(max);
        assertEquals(64, store.list("octohost/many/").size());

        List<StateStore.Change> tooMany = new ArrayList<>();
        for (int i = 0; i <= ConsulStateStore.MAX_TXN_OPS; i++) {
            tooMany.add(new StateStore.Change.Put("octohost/more/K" + i, utf8("v")));
        }
        UserError e = assertThrows(UserError.class, () -> store.apply(tooMany));
        assertTrue(e.getMessage().contains("too many changes"), e.getMessage());
        assertTrue(store.list("octohost/more/").isEmpty());
    }

    @Test
    void aValuePutWithTheHttpApiIsRead() throws IOException {
        // what `consul kv put octohost/hello/GREETING x` does
        HttpURLConnection c = (HttpURLConnection) agent.url().resolve("/v1/kv/octohost/hello/GREETING").toURL().openConnection();
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        c.getOutputStream().write(utf8("hi there"));
        assertEquals(200, c.getResponseCode());
        assertArrayEquals(utf8("hi there"), store.get("octohost/hello/GREETING").orElseThrow());
    }

    @Test
    void aBlockingListReturnsWhenAKeyChanges() throws Exception {
        store.put("octohost/w/DOMAINS", utf8("a.test"));
        ConsulStateStore.Snapshot first = store.listBlocking("octohost/", BigInteger.ZERO, Duration.ofSeconds(30));
        assertArrayEquals(utf8("a.test"), first.entries().get("octohost/w/DOMAINS"));

        CompletableFuture<ConsulStateStore.Snapshot> next = CompletableFuture.supplyAsync(
                () -> store.listBlocking("octohost/", first.index(), Duration.ofSeconds(30)));
        Thread.sleep(300);
        assertFalse(next.isDone(), "the query blocks while nothing changes");
        store.put("octohost/w/DOMAINS", utf8("b.test"));
        // it blocks up to 30 s when nothing changes: an answer sooner is the change's
        ConsulStateStore.Snapshot second = next.get(20, TimeUnit.SECONDS);
        assertArrayEquals(utf8("b.test"), second.entries().get("octohost/w/DOMAINS"));
        assertTrue(second.index().compareTo(first.index()) > 0);
    }

    @Test
    void anUnreachableAgentIsAOneLineUserError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ConsulStateStore down = new ConsulStateStore(URI.create("http://127.0.0.1:" + port), Optional.of("s3cr3t-token"))) {
            for (Runnable call : List.<Runnable>of(
                    () -> down.get("octohost/a/B"),
                    () -> down.list("octohost/"),
                    () -> down.put("octohost/a/B", utf8("x")),
                    down::ping)) {
                UserError e = assertThrows(UserError.class, call::run);
                assertTrue(e.getMessage().startsWith("state store unavailable: cannot reach Consul at http://127.0.0.1:" + port),
                        e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
                assertFalse(e.getMessage().contains("s3cr3t"), "the token never shows");
            }
        }
    }

    /** A cluster without a leader (electing one, or shutting down) serves nothing: reported as unreachable, like a stopped one. */
    @Test
    void anAgentWithoutLeaderIsReportedAsUnreachable() throws Exception {
        try (ConsulAgent leaderless = ConsulAgent.startLeaderless();
             ConsulStateStore noLeader = new ConsulStateStore(leaderless.url(), Optional.empty())) {
            // (each request waits Consul's hold time, ~7 s, for a leader: one is enough)
            UserError e = assertThrows(UserError.class, () -> noLeader.get("octohost/a/B"));
            assertEquals("state store unavailable: cannot reach Consul at " + leaderless.url() + " (no cluster leader)", e.getMessage());
        }
    }

    @Test
    void aStoppedAgentIsAUserErrorAndNothingIsWritten() throws Exception {
        try (ConsulAgent own = ConsulAgent.start();
             ConsulStateStore s = new ConsulStateStore(own.url(), Optional.empty())) {
            s.put("octohost/x/A", utf8("1"));
            own.stop();
            UserError e = assertThrows(UserError.class, () -> s.apply(List.of(new StateStore.Change.Put("octohost/x/B", utf8("2")))));
            assertTrue(e.getMessage().startsWith("state store unavailable: "), e.getMessage());
            assertThrows(UserError.class, () -> s.get("octohost/x/A"));
        }
    }

    @Test
    void aWrongTokenIsRefusedWithoutShowingIt() throws Exception {
        // a dev agent has no ACLs: any token works, so check only that a token is accepted and never shown
        try (ConsulStateStore s = new ConsulStateStore(agent.url(), Optional.of("abc-secret"))) {
            s.put("octohost/t/K", utf8("v"));
            assertArrayEquals(utf8("v"), s.get("octohost/t/K").orElseThrow());
        }
    }
}
