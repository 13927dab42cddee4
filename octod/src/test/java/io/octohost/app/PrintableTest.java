package io.octohost.app;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User input in messages and logs (issue 12, finding 5: a value with a newline forged a log line). */
class PrintableTest {
    @Property
    void nothingPrintedHasAControlCharacterOrBreaksALine(@ForAll String text) {
        String shown = Printable.of(text, Integer.MAX_VALUE);
        assertTrue(shown.codePoints().noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029), shown);
        assertEquals(1, shown.split("\\R", -1).length);
    }

    @Property
    void textWithoutControlCharactersIsUnchanged(@ForAll String text) {
        String plain = text.codePoints().filter(c -> !Character.isISOControl(c) && c != 0x2028 && c != 0x2029)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        assertEquals(plain, Printable.of(plain, Integer.MAX_VALUE));
    }

    @Property
    void utf8IsDecodedExactlyOrRefused(@ForAll byte[] bytes) {
        String roundTrip = null;
        try {
            roundTrip = Utf8.decode(bytes, "x");
        } catch (UserError e) {
            assertEquals("x is not valid UTF-8: octohost keeps text byte-exact and takes UTF-8 only", e.getMessage());
            assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\uFFFD"));
            return;
        }
        assertTrue(Arrays.equals(bytes, roundTrip.getBytes(StandardCharsets.UTF_8)));
    }
}
