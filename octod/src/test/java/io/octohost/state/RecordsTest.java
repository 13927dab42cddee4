package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.Commit;
import io.octohost.app.Domains;
import io.octohost.app.Release;
import io.octohost.app.UserError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * state:import's checks (issue 12, finding 4): every record octod writes passes them, and a record
 * that passes them never breaks the reader of its kind (the commands and deploys after the import).
 */
class RecordsTest {
    private static final AppName HELLO = AppName.of("hello");
    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    private static final String OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO6PfQsY4PQGWjOevQciz8OH6c59X70Ych8m0T453FoM";
    private Path dir;
    private FileStateStore store;
    private AppClaims claims;
    private AppConfigs configs;
    private Releases releases;
    private Records records;

    @BeforeTry
    void emptyState() throws IOException {
        dir = Files.createTempDirectory("records-test");
        store = new FileStateStore(dir);
        claims = new AppClaims(store);
        configs = new AppConfigs(store, claims, 32, new Domains("test.octohost"));
        releases = new Releases(store);
        records = new Records(configs, java.util.Map.of());
    }

    @AfterTry
    void removeState() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A state as pushes and commands leave it: two apps of one repo, config, a release, a key and a key limited to an app. */
    private SortedMap<String, byte[]> written() {
        claims.claim(HELLO, new AppClaims.Owner(HELLO, "master"));
        claims.claim(AppName.of("hello-feature-x"), new AppClaims.Owner(HELLO, "feature/x"));
        store.apply(configs.changes(HELLO, Map.of("GREETING", "hé\nthere", "DOMAINS", "www.example.test", "CONTAINERS", "2",
                "MEMORY_LIMIT", "64m", "CAP_DROP", "ALL", "HEALTHCHECK_PATH", "/health"), java.util.Set.of()));
        store.apply(List.of(releases.record(HELLO, release(1))));
        new Keys(store).add("alice", Role.DEPLOY, java.util.Set.of(), ED25519 + " alice@laptop");
        new Keys(store).add("ci", Role.DEPLOY, java.util.Set.of(HELLO, AppName.of("blog")), OTHER_KEY);
        return StateDump.read(store);
    }

    private static Release release(int number) {
        return new Release(number, Optional.of(new Commit("0123456789abcdef0123456789abcdef01234567")), "sha256:abc",
                Optional.empty(), OptionalInt.of(80), Map.of("GREETING", "hi"), Instant.parse("2026-12-03T10:00:00Z"), "alice", "push 0123456");
    }

    private void check(String key, byte[] value) {
        records.check(key, value, StateDump.read(store));
    }

    @Example
    void everyRecordOctodWritesPassesTheChecks() {
        written().forEach((key, value) -> assertDoesNotThrow(() -> check(key, value), key));
    }

    @Property(tries = 300)
    void aReleaseRecordThatPassesNeverBreaksTheReleases(@ForAll("fields") String field, @ForAll("garbage") String value) {
        SortedMap<String, byte[]> state = written();
        String key = "octod/releases/hello/v00000001";
        String record = new String(state.get(key), StandardCharsets.UTF_8);
        String changed = record.lines().map(l -> l.startsWith(field + "=") ? field + "=" + value : l)
                .reduce("", (a, b) -> a + b + "\n");
        byte[] bytes = changed.getBytes(StandardCharsets.UTF_8);
        if (passes(key, bytes)) {
            store.put(key, bytes);
            assertDoesNotThrow(() -> releases.list(HELLO), changed);
        }
    }

    @Property(tries = 300)
    void anOwnerRecordThatPassesNeverBreaksTheClaims(@ForAll("garbage") String repo, @ForAll("garbage") String branch) {
        String key = "octod/apps/hello";
        byte[] bytes = (repo + "\n" + branch).getBytes(StandardCharsets.UTF_8);
        if (passes(key, bytes)) {
            store.put(key, bytes);
            AppClaims.Owner owner = claims.owner(HELLO).orElseThrow();
            assertTrue(claims.appFor(owner.repo(), owner.branch()).equals(HELLO)
                    || AppName.forBranch(owner.repo(), owner.branch()).equals(HELLO));
        }
    }

    @Property(tries = 500)
    void aConfigValueThatPassesNeverBreaksTheRunConfig(@ForAll("reservedKeys") String name, @ForAll("garbage") String value) {
        written();
        String key = "octohost/hello/" + name;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (passes(key, bytes)) {
            store.put(key, bytes);
            assertDoesNotThrow(() -> configs.runConfig(HELLO), name + "=" + value);
        }
    }

    private boolean passes(String key, byte[] value) {
        try {
            check(key, value);
            return true;
        } catch (UserError e) {
            return false;
        }
    }

    @Example
    void theRecordsOfTheFindingAreRefusedSayingWhy() {
        SortedMap<String, byte[]> state = written();
        assertRefused("octod/releases/hello/v00000002", "number=two\n", "unreadable release record (NumberFormatException");
        assertRefused("octod/releases/hello/v00000002", new String(state.get("octod/releases/hello/v00000001"), StandardCharsets.UTF_8),
                "release v1 of hello is kept under octod/releases/hello/v00000001");
        assertRefused("octod/apps/hello", "other\nmaster", "app hello cannot belong to repo other branch master");
        assertRefused("octod/apps/hello", "hello\nmain", "app hello belongs to repo hello branch master: an import does not move it");
        assertRefused("octod/apps/evil", "Evil\nmaster", "invalid app name 'Evil'");
        assertRefused("octod/apps/hello-head", "hello\nHEAD", "branch 'HEAD' is what git calls one of its own refs");
        assertRefused("octod/repos/hello/main", "trunk", "a repo's main branch is master or main");
        assertRefused("octohost/hello/1BAD", "x", "invalid config key '1BAD'");
        assertRefused("octohost/hello/CONTAINERS", "-1", "invalid container count");
        assertRefused("octohost/hello/MEMORY_LIMIT", "lots", "invalid MEMORY_LIMIT 'lots'");
        assertRefused("octohost/hello/DOMAINS", "not_a_host", "invalid domain 'not_a_host'");
        assertRefused("octohost/hello/DOMAINS", "blog.test.octohost", "domain blog.test.octohost is the default name of app blog");
        assertRefused("octohost/hello/GREETING", new byte[] {(byte) 0xff}, "the value of GREETING is not valid UTF-8");
        assertRefused("octod/keys/mallory", "root\n" + ED25519, "invalid role 'root'");
        assertRefused("octod/keys/mallory", "admin\nssh-ed25519 AAAA", "malformed public key");
        assertRefused("octod/keys/mallory", "admin\n" + ED25519 + "\nhello", "--app limits deploy keys and tokens only");
        assertRefused("octod/keys/mallory", "deploy\n" + ED25519 + "\nHello", "invalid app name 'Hello'");
        assertRefused("octod/keys/mallory", "deploy\n" + ED25519 + "\nhello\nblog", "a key record is a role, a public key and");
        assertRefused("octod/unknown/x", "x", "octod keeps no such record");
    }

    @Example
    void twoAppsCannotBeImportedWithOneDomain() {
        SortedMap<String, byte[]> state = new TreeMap<>(written());
        state.put("octohost/hello-feature-x/DOMAINS", "www.example.test".getBytes(StandardCharsets.UTF_8));
        Records.Refusal refusal = records.sharedDomain(state).orElseThrow();
        assertTrue(refusal.key().equals("octohost/hello/DOMAINS") && refusal.reason().equals("domain www.example.test belongs to app hello-feature-x"),
                refusal.toString());
    }

    private void assertRefused(String key, String value, String reason) {
        assertRefused(key, value.getBytes(StandardCharsets.UTF_8), reason);
    }

    private void assertRefused(String key, byte[] value, String reason) {
        UserError e = assertThrows(UserError.class, () -> check(key, value), key);
        assertTrue(e.getMessage().startsWith(reason), key + ": " + e.getMessage());
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of("number", "commit", "image", "port", "time", "by", "config.GREETING");
    }

    @Provide
    Arbitrary<String> reservedKeys() {
        return Arbitraries.of("DOMAINS", "CONTAINERS", "MEMORY_LIMIT", "NO_HTTP_PROXY", "HEALTHCHECK_PATH", "HEALTHCHECK_ATTEMPTS",
                "HEALTHCHECK_INTERVAL", "HEALTHCHECK_TIMEOUT", "CAP_DROP", "CAP_ADD");
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(24),
                Arbitraries.strings().withChars("abcHEAD0123456789-/.:* \n=\\x").ofMaxLength(24),
                Arbitraries.of("hello", "master", "main", "0", "1", "65536", "-3", "2026-12-03T10:00:00Z", "/health",
                        "ALL", "NET_RAW", "512m", "5s", "www.example.test", "hello.test.octohost", "feature/x"));
    }
}
