package io.octohost.auth;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.state.FileStateStore;
import io.octohost.state.Role;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsersTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownUserIsCheckedAgainstAHashOfTheSameCost() {
        assertEquals(Users.NO_USER_HASH, OpenBSDBCrypt.generate("no such user".toCharArray(), new byte[16], Users.COST));
    }

    @Test
    void aPasswordIsKeptAsABcryptHashAndChecked() {
        FileStateStore store = new FileStateStore(dir.resolve("state"));
        Users users = new Users(store, Clock.systemUTC());
        users.add("alice@example.com", Role.DEPLOY, Set.of(AppName.of("shop")), "planted-secret-pw1");
        String record = new String(store.get("octod/users/alice@example.com").orElseThrow(), StandardCharsets.UTF_8);
        assertFalse(record.contains("planted-secret-pw1"), record);
        assertTrue(record.contains("\"bcrypt\":\"$2y$10$"), record);
        Users.checkRecord("octod/users/alice@example.com", record.getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of(AppName.of("shop")), users.check("alice@example.com", "planted-secret-pw1").orElseThrow().apps());
        assertTrue(users.check("alice@example.com", "planted-secret-pw2").isEmpty());
        assertTrue(users.check("nobody@example.com", "planted-secret-pw1").isEmpty());
        users.setPassword("alice@example.com", "another-password");
        assertTrue(users.check("alice@example.com", "planted-secret-pw1").isEmpty());
        assertTrue(users.check("alice@example.com", "another-password").isPresent());
        assertThrows(UserError.class, () -> users.add("bob@example.com", Role.DEPLOY, Set.of(), "short"));
        assertThrows(UserError.class, () -> users.add("bob@example.com", Role.ADMIN, Set.of(AppName.of("shop")), "long-enough-pw"));
        assertThrows(UserError.class, () -> users.add("not-an-email", Role.ADMIN, Set.of(), "long-enough-pw"));
    }

    @Test
    void aLoginTokenExpiresAndActsAsItsUserAsTheUserIsNow() {
        Instant[] now = {Instant.parse("2026-12-03T10:00:00Z")};
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        FileStateStore store = new FileStateStore(dir.resolve("state"));
        Users users = new Users(store, clock);
        Tokens tokens = new Tokens(store, clock);
        Users.User alice = users.add("alice@example.com", Role.ADMIN, Set.of(), "password-of-alice");
        Tokens.Login login = tokens.login(alice, Duration.ofHours(1));
        assertEquals(Principal.Kind.USER, tokens.authenticate(login.token()).orElseThrow().kind());
        now[0] = now[0].plus(Duration.ofMinutes(59));
        assertTrue(tokens.authenticate(login.token()).isPresent());
        now[0] = now[0].plus(Duration.ofMinutes(1));
        assertTrue(tokens.authenticate(login.token()).isEmpty(), "expired");
        Tokens.Login again = tokens.login(alice, Duration.ofHours(1));
        users.remove("alice@example.com");
        assertTrue(tokens.authenticate(again.token()).isEmpty(), "the user is gone");
        Tokens.checkRecord("octod/tokens/" + again.name(), store.get("octod/tokens/" + again.name()).orElseThrow());
    }
}
