package io.octohost.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShellWordsTest {
    @Test
    void splitsLikeAPosixShellWithoutExpanding() {
        assertEquals(List.of("config:set", "hello", "GREETING=hello world"),
                ShellWords.split("config:set hello 'GREETING=hello world'"));
        assertEquals(List.of("a b", "c\"d", "$HOME", "*"), ShellWords.split("\"a b\" c\\\"d '$HOME' *"));
        assertEquals(List.of("x\\y", "it's"), ShellWords.split("'x\\y' it\\'s"));
        assertEquals(List.of("git-receive-pack", "/../x"), ShellWords.split("git-receive-pack '/../x'"));
        assertEquals(List.of("", "a"), ShellWords.split("'' a"));
        assertEquals(List.of(), ShellWords.split("   "));
    }

    @Test
    void unterminatedQuotesAreErrors() {
        assertThrows(UserError.class, () -> ShellWords.split("config:set 'x"));
        assertThrows(UserError.class, () -> ShellWords.split("config:set \"x"));
        assertThrows(UserError.class, () -> ShellWords.split("x\\"));
    }

    @Test
    void quoteRoundTripsAnyValue() {
        for (String value : List.of("plain", "hello world = \"x\"", "it's", "$HOME `x`", "line\nbreak", "ünïcode", "")) {
            assertEquals(List.of(value), ShellWords.split(ShellWords.quote(value)), value);
        }
    }
}
