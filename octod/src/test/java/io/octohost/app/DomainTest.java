package io.octohost.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DomainTest {
    @ParameterizedTest
    @ValueSource(strings = {"www.example.test", "*.example.test", "localhost", "a-b.c", "WWW.Example.Test"})
    void acceptsHostNames(String text) {
        assertEquals(text.toLowerCase(), Domain.of(text).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a.test", "a-.test", "a..b", "a b", "x.*.test", "a_b.test", "ex;ample.test", "a.test."})
    void rejectsWhatIsNotAHostName(String text) {
        assertThrows(UserError.class, () -> Domain.of(text));
    }

    @org.junit.jupiter.api.Test
    void limitsLengths() {
        assertThrows(UserError.class, () -> Domain.of("a".repeat(64) + ".test"));
        String long253 = ("a".repeat(61) + ".").repeat(4) + "abcd";
        assertEquals(252, long253.length());
        Domain.of(long253);
        assertThrows(UserError.class, () -> Domain.of(long253 + "ab"));
    }
}
