package io.octohost.auth;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.state.FileStateStore;
import io.octohost.state.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** state:import's check of token records: what tokens:create stores passes, anything else is refused saying why. */
class TokenRecordsTest {
    @TempDir
    Path dir;

    @Test
    void aCreatedTokenPassesAndAForgedOneIsRefused() {
        FileStateStore store = new FileStateStore(dir);
        Tokens tokens = new Tokens(store, Clock.systemUTC());
        tokens.create("ci", Role.DEPLOY, Set.of(AppName.of("shop")));
        store.list(Tokens.RECORDS).forEach(Tokens::checkRecord);
        assertRefused("octod/tokens/ci", "{\"role\":\"admin\",\"apps\":[\"shop\"],\"sha256\":\"" + "a".repeat(64)
                + "\",\"created\":\"2026-12-03T10:00:00Z\"}", "--app limits deploy keys and tokens only");
        assertRefused("octod/tokens/ci", "{\"role\":\"deploy\",\"apps\":[],\"sha256\":\"nothex\",\"created\":\"2026-12-03T10:00:00Z\"}",
                "a token record has a role, apps, a sha256");
        assertRefused("octod/tokens/ci", "garbage", "not a token record");
        assertRefused("octod/tokens/bad name", "{}", "invalid token name 'bad name'");
    }

    private static void assertRefused(String key, String value, String message) {
        UserError e = assertThrows(UserError.class, () -> Tokens.checkRecord(key, value.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
