package io.octohost.auth;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.state.ConsulAgent;
import io.octohost.state.ConsulStateStore;
import io.octohost.state.FileStateStore;
import io.octohost.state.Role;
import io.octohost.state.StateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API tokens on both state stores: the embedded file and a real Consul agent. */
class TokensTest {
    private static ConsulAgent agent;
    private static ConsulStateStore consul;
    @TempDir
    Path dir;

    @BeforeAll
    static void startConsul() throws Exception {
        agent = ConsulAgent.start();
        consul = new ConsulStateStore(agent.url(), Optional.empty());
    }

    @AfterAll
    static void stopConsul() throws Exception {
        if (consul != null) {
            consul.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    private StateStore store(String kind) {
        if (kind.equals("consul")) {
            consul.apply(List.of(new StateStore.Change.DeletePrefix("")));
            return consul;
        }
        return new FileStateStore(dir);
    }

    private static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "consul"})
    void aTokenIsShownOnceStoredAsAHashAndStandsForItsPrincipal(String kind) {
        StateStore store = store(kind);
        StepClock clock = new StepClock();
        Tokens tokens = new Tokens(store, clock);
        String token = tokens.create("ci", Role.DEPLOY, Set.of(AppName.of("shop")));
        assertTrue(token.matches("oct_[A-Za-z0-9_-]{43}"), token);
        // only the hash is stored, under octod/tokens/NAME
        String stored = new String(store.get("octod/tokens/ci").orElseThrow(), StandardCharsets.UTF_8);
        assertFalse(stored.contains(token.substring(4)), stored);
        assertTrue(stored.contains(Tokens.hash(token)), stored);
        store.list("").values().forEach(v -> assertFalse(new String(v, StandardCharsets.UTF_8).contains(token.substring(4))));

        Principal who = tokens.authenticate(token).orElseThrow();
        assertEquals(new Principal("ci", Principal.Kind.TOKEN, Role.DEPLOY, Set.of(AppName.of("shop"))), who);
        assertEquals(Optional.empty(), tokens.authenticate(token.substring(0, token.length() - 1) + "x"));
        assertEquals(Optional.empty(), tokens.authenticate("oct_"));
        assertEquals(Optional.empty(), tokens.authenticate(Tokens.hash(token)), "the stored hash is no token");

        Tokens.Token listed = tokens.list().get(0);
        assertEquals("ci", listed.name());
        assertEquals(clock.now, listed.created());
        assertEquals(clock.now, listed.lastUsed(), "the use was recorded");
        assertFalse(listed.toString().contains(token.substring(4)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "consul"})
    void aUseIsRecordedToTheMinuteAndARevokedTokenStopsWorking(String kind) {
        StateStore store = store(kind);
        StepClock clock = new StepClock();
        Tokens tokens = new Tokens(store, clock);
        String token = tokens.create("ops", Role.ADMIN, Set.of());
        assertNull(tokens.list().get(0).lastUsed());
        tokens.authenticate(token).orElseThrow();
        Instant first = clock.now;
        clock.now = first.plusSeconds(30);
        tokens.authenticate(token).orElseThrow();
        assertEquals(first, tokens.list().get(0).lastUsed(), "within the minute: not written again");
        clock.now = first.plus(Duration.ofMinutes(2));
        tokens.authenticate(token).orElseThrow();
        assertEquals(clock.now, tokens.list().get(0).lastUsed());

        tokens.revoke("ops");
        assertEquals(Optional.empty(), tokens.authenticate(token));
        assertEquals(List.of(), tokens.list());
        assertTrue(store.list("octod/tokens/").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded"})
    void badRequestsChangeNothing(String kind) {
        StateStore store = store(kind);
        Tokens tokens = new Tokens(store, Clock.systemUTC());
        tokens.create("ci", Role.DEPLOY, Set.of());
        assertEquals("a token named 'ci' exists already",
                assertThrows(UserError.class, () -> tokens.create("ci", Role.ADMIN, Set.of())).getMessage());
        assertTrue(assertThrows(UserError.class, () -> tokens.create("ops", Role.ADMIN, Set.of(AppName.of("shop"))))
                .getMessage().startsWith("--app limits deploy keys and tokens only"));
        assertTrue(assertThrows(UserError.class, () -> tokens.create("bad name", Role.ADMIN, Set.of()))
                .getMessage().startsWith("invalid token name 'bad name'"));
        assertEquals("no token named 'nope'", assertThrows(UserError.class, () -> tokens.revoke("nope")).getMessage());
        assertEquals(List.of("ci"), tokens.list().stream().map(Tokens.Token::name).toList());
        assertEquals(1, store.list("octod/").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded"})
    void twoTokensAreNeverAlike(String kind) {
        Tokens tokens = new Tokens(store(kind), Clock.systemUTC());
        String a = tokens.create("a", Role.DEPLOY, Set.of());
        String b = tokens.create("b", Role.DEPLOY, Set.of());
        assertFalse(a.equals(b));
        assertEquals("a", tokens.authenticate(a).orElseThrow().name());
        assertEquals("b", tokens.authenticate(b).orElseThrow().name());
    }
}
