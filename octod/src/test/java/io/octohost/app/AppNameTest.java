package io.octohost.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"Bad_Name", "../x", "a/b", "", "-x", "x-", "hello.git", "UPPER"})
    void rejectsWhatIsNotADnsLabel(String name) {
        UserError e = assertThrows(UserError.class, () -> AppName.of(name));
        assertTrue(e.getMessage().startsWith("invalid app name"), e.getMessage());
    }

    @Test
    void rejectsMoreThan63Characters() {
        assertThrows(UserError.class, () -> AppName.of("a".repeat(64)));
        assertEquals(63, AppName.of("a".repeat(63)).value().length());
    }

    @Test
    void branchAppsAreLowercasedWithSeparatorsTurnedIntoDashes() {
        AppName hello = AppName.of("hello");
        assertEquals("hello-feature-login", AppName.forBranch(hello, "feature/login").value());
        assertEquals("hello-feature-x-y", AppName.forBranch(hello, "feature/x_Y").value());
        assertEquals("hello-v1-2", AppName.forBranch(hello, "v1.2").value());
    }

    @Test
    void aBranchThatGivesNoValidNameIsRejected() {
        AppName hello = AppName.of("hello");
        assertThrows(UserError.class, () -> AppName.forBranch(hello, "feature/"));
        assertThrows(UserError.class, () -> AppName.forBranch(hello, "x".repeat(60)));
        assertThrows(UserError.class, () -> AppName.forBranch(hello, "héllo"));
    }
}
