package io.octohost.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The config keys of builds, BUILD_TIMEOUT and EXTRA_BUILD_ARGS: their formats and their errors. */
class BuildKeysTest {
    @Test
    void extraBuildArgsAreNameValueWordsQuotedAsInAShell() {
        assertEquals(Map.of(), ConfigKeys.buildArgs(Map.of()));
        assertEquals(Map.of("A", "1", "B", "two words", "C", "", "D", "x=y"),
                ConfigKeys.buildArgs(Map.of("EXTRA_BUILD_ARGS", " A=1 'B=two words'\tC= D=x=y ")));
        assertEquals(Map.of("A", "second"), ConfigKeys.buildArgs(Map.of("EXTRA_BUILD_ARGS", "A=first A=second")));
    }

    @Test
    void aBadExtraBuildArgsValueIsRefusedWhenSetSayingWhy() {
        UserError noValue = assertThrows(UserError.class, () -> ConfigKeys.validate("EXTRA_BUILD_ARGS", "A=1 B", 32));
        assertEquals("invalid EXTRA_BUILD_ARGS: 'B' is not NAME=value (words separated by blanks, quoted as in a shell:"
                + " A=1 'B=two words')", noValue.getMessage());
        UserError badName = assertThrows(UserError.class, () -> ConfigKeys.buildArgs(Map.of("EXTRA_BUILD_ARGS", "1A=x")));
        assertTrue(badName.getMessage().startsWith("invalid EXTRA_BUILD_ARGS: '1A' is not NAME=value"), badName.getMessage());
        UserError quote = assertThrows(UserError.class, () -> ConfigKeys.buildArgs(Map.of("EXTRA_BUILD_ARGS", "A='x")));
        assertEquals("invalid EXTRA_BUILD_ARGS: unterminated single quote", quote.getMessage());
    }

    @Test
    void buildTimeoutIsWholeSecondsUpToADay() {
        assertEquals(Optional.empty(), ConfigKeys.buildTimeout(Map.of()));
        assertEquals(Optional.of(Duration.ofSeconds(3)), ConfigKeys.buildTimeout(Map.of("BUILD_TIMEOUT", "3")));
        assertEquals(Optional.of(Duration.ofSeconds(90)), ConfigKeys.buildTimeout(Map.of("BUILD_TIMEOUT", " 90s ")));
        for (String bad : new String[] {"0", "-1", "86401", "soon", "1.5"}) {
            UserError e = assertThrows(UserError.class, () -> ConfigKeys.validate("BUILD_TIMEOUT", bad, 32));
            assertEquals("invalid BUILD_TIMEOUT '" + bad + "': give whole seconds from 1 to 86400", e.getMessage());
        }
    }

    @Test
    void theBuildKeysNeverReachTheContainer() {
        assertTrue(ConfigKeys.RESERVED.contains("BUILD_TIMEOUT") && ConfigKeys.RESERVED.contains("EXTRA_BUILD_ARGS"));
    }
}
