package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.Domains;
import io.octohost.app.UserError;
import io.octohost.app.ConfigKeys;
import io.octohost.app.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppConfigsTest {
    @TempDir
    Path dir;

    private AppConfigs given(Map<String, String> base, Map<String, String> branch) {
        FileStateStore store = new FileStateStore(dir);
        AppClaims claims = new AppClaims(store);
        AppName hello = AppName.of("hello");
        claims.claim(hello, new AppClaims.Owner(hello, "master"));
        claims.claim(AppName.of("hello-feature-x"), new AppClaims.Owner(hello, "feature/x"));
        AppConfigs configs = new AppConfigs(store, claims, 32, new Domains("test.octohost"));
        store.apply(configs.changes(hello, base, Set.of()));
        store.apply(configs.changes(AppName.of("hello-feature-x"), branch, Set.of()));
        return configs;
    }

    @Test
    void reservedKeysSteerAndStayOutOfTheEnvironment() {
        AppConfigs configs = given(Map.of("GREETING", "hi", "DOMAINS", "b.test a.test", "CONTAINERS", "3",
                "MEMORY_LIMIT", "512m", "NO_HTTP_PROXY", "1"), Map.of());
        RunConfig run = configs.runConfig(AppName.of("hello"));
        assertEquals(Map.of("GREETING", "hi"), run.env());
        assertEquals(3, run.containers());
        assertEquals(512L << 20, run.memoryLimitBytes().getAsLong());
        assertEquals(List.of("hello.test.octohost", "a.test", "b.test"), run.domains());
        assertFalse(run.routed());
    }

    @Test
    void aBranchAppInheritsEnvAndMemoryButNotDomainsOrScale() {
        AppConfigs configs = given(Map.of("GREETING", "hi", "KEEP", "base", "DOMAINS", "a.test", "CONTAINERS", "3",
                "MEMORY_LIMIT", "64m"), Map.of("GREETING", "review"));
        RunConfig run = configs.runConfig(AppName.of("hello-feature-x"));
        assertEquals(Map.of("GREETING", "review", "KEEP", "base"), run.env());
        assertEquals(1, run.containers());
        assertEquals(64L << 20, run.memoryLimitBytes().getAsLong());
        assertEquals(List.of("hello-feature-x.test.octohost"), run.domains());
        assertTrue(run.routed());
    }

    @Test
    void badValuesAreUserErrors() {
        AppConfigs configs = given(Map.of(), Map.of());
        assertThrows(UserError.class, () -> configs.validate("BAD-KEY", "x"));
        assertThrows(UserError.class, () -> configs.validate("1X", "x"));
        assertThrows(UserError.class, () -> configs.validate("CONTAINERS", "-1"));
        assertThrows(UserError.class, () -> configs.validate("CONTAINERS", "many"));
        assertThrows(UserError.class, () -> configs.validate("CONTAINERS", "33"));
        assertThrows(UserError.class, () -> configs.validate("MEMORY_LIMIT", "lots"));
        assertThrows(UserError.class, () -> configs.validate("DOMAINS", "not_a_host"));
        assertThrows(UserError.class, () -> configs.validate("HEALTHCHECK_ATTEMPTS", "0"));
        configs.validate("GREETING", "anything = \"at all\"\n");
    }

    @Test
    void aDomainBelongsToOneApp() {
        AppConfigs configs = given(Map.of("DOMAINS", "www.example.test"), Map.of());
        UserError e = assertThrows(UserError.class, () ->
                configs.checkDomainsFree(AppName.of("hello-feature-x"), ConfigKeys.parseDomains("www.example.test")));
        assertTrue(e.getMessage().contains("hello"), e.getMessage());
        assertThrows(UserError.class, () ->
                configs.checkDomainsFree(AppName.of("hello-feature-x"), ConfigKeys.parseDomains("hello.test.octohost")));
    }
}
