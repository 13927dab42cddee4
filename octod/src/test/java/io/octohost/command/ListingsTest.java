package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.BuildStatus;
import io.octohost.app.Backend;
import io.octohost.app.Commit;
import io.octohost.app.Domains;
import io.octohost.app.Release;
import io.octohost.auth.Principal;
import io.octohost.auth.Tokens;
import io.octohost.builds.Build;
import io.octohost.builds.BuildStore;
import io.octohost.builds.Builds;
import io.octohost.builds.Trigger;
import io.octohost.deploy.DeploySettings;
import io.octohost.deploy.Fakes;
import io.octohost.run.AppContainer;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.FileStateStore;
import io.octohost.state.Keys;
import io.octohost.state.Releases;
import io.octohost.state.Role;
import io.octohost.state.StateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden output of every listing, for people and as --json, from fixed data and a fixed clock in a
 * fixed zone (Berlin, UTC+1 in December): what octo prints is the contract, so it is written out
 * here whole. The commands run as octod runs them; only Docker is a fake (the containers and images).
 */
class ListingsTest {
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    static final String ALICE = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8chGsHeRVVQHBBoKOiRKiBDsp9v8dfV1VwOC5NX9gP alice";
    static final String CI = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMxJ99gvCVfIjgN+x88RnS1VYVSzTlDotbonIxsotX7G ci";
    static final String C1 = "a3346cf12f60" + "1".repeat(52);
    static final String C2 = "7d46bd58f855" + "2".repeat(52);
    static final String C3 = "0b1c2d3e4f50" + "3".repeat(52);
    static final AppName HELLO = AppName.of("hello");
    static final AppName FEATURE = AppName.of("hello-feature-x");

    @TempDir
    Path dir;
    private final Clock clock = Clock.fixed(NOW, ZoneId.of("Europe/Berlin"));
    private final Fakes docker = new Fakes();
    private StateStore store;
    private Commands commands;

    @BeforeEach
    void setUp() {
        store = new FileStateStore(dir.resolve("state"));
        Domains domains = new Domains("example.test");
        AppClaims claims = new AppClaims(store);
        AppConfigs configs = new AppConfigs(store, claims, 32, domains);
        Releases releases = new Releases(store);
        Keys keys = new Keys(store);
        Tokens tokens = new Tokens(store, clock);
        BuildStore builds = new BuildStore(dir.resolve("builds"), 50, 1 << 20, clock);
        DeploySettings settings = new DeploySettings(domains, 80, Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(1),
                5, 0, List.of(dir), 2);
        commands = new Commands(new Services(keys, claims, configs, releases, null, null, docker.runner, settings,
                store, tokens, new Builds(builds, null, claims, configs, null, Duration.ofMinutes(20), clock), null, clock));

        claims.claim(HELLO, new AppClaims.Owner(HELLO, "master"));
        claims.claim(FEATURE, new AppClaims.Owner(HELLO, "feature/x"));
        claims.claim(AppName.of("shop"), new AppClaims.Owner(AppName.of("shop"), "main"));
        store.apply(configs.changes(HELLO, Map.of("GREETING", "hello world", "DOMAINS", "www.example.test", "CONTAINERS", "2",
                "NOTE", "line 1\nline 2"), Set.of()));
        store.apply(configs.changes(FEATURE, Map.of("FEATURE", "on", "GREETING", "hi"), Set.of()));

        release(1, '1', "2026-12-01T08:15:30Z", "alice", "push 1111111", false);
        release(2, '2', "2026-12-02T17:40:00.123456789Z", "alice", "config:set GREETING", true);
        release(3, '3', "2026-12-03T09:55:00Z", "ci", "push 3333333", true);
        release(4, '3', "2026-12-03T09:59:40Z", "local", "scale to 2", true);
        container(C1, "hello.mwwljd11.1", 4, true, 32769);
        container(C2, "hello.mwwljd11.2", 4, true, 32770);
        container(C3, "hello.k2j4h5g6.1", 3, false, 0);

        keys.add("alice", Role.ADMIN, Set.of(), ALICE);
        keys.add("ci", Role.DEPLOY, Set.of(HELLO), CI);
        new Tokens(store, Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), clock.getZone())).create("dashboard", Role.DEPLOY,
                Set.of(HELLO));
        String ops = new Tokens(store, Clock.fixed(Instant.parse("2026-12-01T07:30:00Z"), clock.getZone()))
                .create("ops", Role.ADMIN, Set.of());
        new Tokens(store, Clock.fixed(NOW.minus(Duration.ofMinutes(5)), clock.getZone())).authenticate(ops);

        Build first = builds.create(Build.pending(new BuildId("build-41"), HELLO, Trigger.API, "dashboard",
                "https://ci.example.test/hello.tar.gz", Instant.parse("2026-12-02T17:38:00Z"), null, null));
        builds.update(first.to(BuildStatus.BUILDING, Instant.parse("2026-12-02T17:38:01Z"), null)
                .to(BuildStatus.FAILED, Instant.parse("2026-12-02T17:39:00Z"), "the Dockerfile failed at step 3"));
        builds.create(Build.pending(new BuildId("build-42"), HELLO, Trigger.GIT_PUSH, "ci", "3333333",
                NOW.minus(Duration.ofMinutes(6)), null, null));
    }

    private void release(int number, char commit, String time, String by, String description, boolean imageKept) {
        String image = "sha256:" + String.valueOf((char) ('a' + number)).repeat(64);
        if (imageKept) {
            docker.images.built.put(image, HELLO);
        }
        store.apply(List.of(new Releases(store).record(HELLO, new Release(number,
                Optional.of(new Commit(String.valueOf(commit).repeat(40))), image, Optional.empty(), OptionalInt.of(80), Map.of("GREETING", "secret?"), Instant.parse(time), by, description))));
    }

    private void container(String id, String name, int release, boolean running, int port) {
        docker.runner.running.put(id, new AppContainer(HELLO, release, id, name, "3".repeat(40), running,
                running ? Optional.of(new Backend(id, name, "172.17.0.2", 80, Backend.LOCAL_HOST, port)) : Optional.empty(), ""));
    }

    record Out(int exit, String stdout, String stderr) {
    }

    private Out octo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = commands.run(List.of(args), Principal.LOCAL, new ByteArrayInputStream(new byte[0]), out, err);
        return new Out(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void assertPrints(String stdout, String... args) {
        assertEquals(new Out(0, stdout, ""), octo(args), String.join(" ", args));
    }

    private void assertEmpty(String stderr, String... args) {
        assertEquals(new Out(0, "", stderr), octo(args), String.join(" ", args));
    }

    static final String HELLO_JSON = "{\"name\":\"hello\",\"repo\":\"hello\",\"branch\":\"master\",\"release\":\"v4\",\"commit\":\""
            + "3".repeat(40) + "\",\"containers\":[{\"name\":\"hello.k2j4h5g6.1\",\"id\":\"" + C3 + "\",\"state\":\"stopped\",\"type\":\"web\"},"
            + "{\"name\":\"hello.mwwljd11.1\",\"id\":\"" + C1 + "\",\"state\":\"running\",\"port\":32769,\"type\":\"web\"},"
            + "{\"name\":\"hello.mwwljd11.2\",\"id\":\"" + C2 + "\",\"state\":\"running\",\"port\":32770,\"type\":\"web\"}],"
            + "\"domains\":[\"hello.example.test\",\"www.example.test\"],\"url\":\"http://hello.example.test/\"}";

    @Test
    void ps() {
        assertPrints("""
                App:      hello
                Repo:     hello, branch master
                Release:  v4, commit 3333333
                Domains:  hello.example.test, www.example.test
                URL:      http://hello.example.test/

                CONTAINER         TYPE  ID            STATE    PORT
                hello.k2j4h5g6.1  web   0b1c2d3e4f50  stopped  -
                hello.mwwljd11.1  web   a3346cf12f60  running  32769
                hello.mwwljd11.2  web   7d46bd58f855  running  32770
                """, "ps", "hello");
        assertPrints("""
                App:         shop
                Repo:        shop, branch main
                Release:     -
                Domains:     shop.example.test
                URL:         http://shop.example.test/
                Containers:  none
                """, "apps:info", "shop");
        assertPrints(HELLO_JSON + "\n", "ps", "hello", "--json");
    }

    @Test
    void apps() {
        assertPrints("""
                APP              RELEASE  CONTAINERS      URL
                hello            v4       2 of 3 running  http://hello.example.test/
                hello-feature-x  -        none            http://hello-feature-x.example.test/
                shop             -        none            http://shop.example.test/
                """, "apps");
        assertPrints("hello\nhello-feature-x\nshop\n", "apps:list", "--quiet");
        assertPrints("[" + HELLO_JSON + ",{\"name\":\"hello-feature-x\",\"repo\":\"hello\",\"branch\":\"feature/x\",\"release\":null,"
                + "\"commit\":null,\"containers\":[],\"domains\":[\"hello-feature-x.example.test\"],"
                + "\"url\":\"http://hello-feature-x.example.test/\"},{\"name\":\"shop\",\"repo\":\"shop\",\"branch\":\"main\","
                + "\"release\":null,\"commit\":null,\"containers\":[],\"domains\":[\"shop.example.test\"],"
                + "\"url\":\"http://shop.example.test/\"}]\n", "apps", "--json");
    }

    @Test
    void releases() {
        assertPrints("""
                   RELEASE  COMMIT   CREATED           BY     DESCRIPTION
                *  v4       3333333  just now          local  scale to 2
                   v3       3333333  5 min ago         ci     push 3333333
                   v2       2222222  2026-12-02 18:40  alice  config:set GREETING
                x  v1       1111111  2026-12-01 09:15  alice  push 1111111
                """, "releases", "hello");
        assertPrints("[{\"release\":\"v4\",\"current\":true,\"commit\":\"" + "3".repeat(40) + "\",\"image\":\"sha256:" + "e".repeat(64)
                + "\",\"rollback\":false,\"time\":\"2026-12-03T09:59:40Z\",\"by\":\"local\",\"description\":\"scale to 2\"},"
                + "{\"release\":\"v3\",\"current\":false,\"commit\":\"" + "3".repeat(40) + "\",\"image\":\"sha256:" + "d".repeat(64)
                + "\",\"rollback\":true,\"time\":\"2026-12-03T09:55:00Z\",\"by\":\"ci\",\"description\":\"push 3333333\"},"
                + "{\"release\":\"v2\",\"current\":false,\"commit\":\"" + "2".repeat(40) + "\",\"image\":\"sha256:" + "c".repeat(64)
                + "\",\"rollback\":true,\"time\":\"2026-12-02T17:40:00.123456789Z\",\"by\":\"alice\",\"description\":\"config:set GREETING\"},"
                + "{\"release\":\"v1\",\"current\":false,\"commit\":\"" + "1".repeat(40) + "\",\"image\":\"sha256:" + "b".repeat(64)
                + "\",\"rollback\":false,\"time\":\"2026-12-01T08:15:30Z\",\"by\":\"alice\",\"description\":\"push 1111111\"}]\n",
                "releases", "hello", "--json");
        assertEmpty("shop has no releases yet: push it first\n", "releases", "shop");
        assertPrints("[]\n", "releases", "shop", "--json");
    }

    @Test
    void config() {
        assertPrints("""
                KEY         VALUE
                CONTAINERS  2
                DOMAINS     www.example.test
                GREETING    'hello world'
                NOTE        'line 1\\nline 2'
                """, "config", "hello");
        assertPrints("""
                KEY       VALUE             FROM
                FEATURE   on
                GREETING  hi
                NOTE      'line 1\\nline 2'  hello
                """, "config", "hello-feature-x");
        assertPrints("{\"CONTAINERS\":\"2\",\"DOMAINS\":\"www.example.test\",\"GREETING\":\"hello world\",\"NOTE\":\"line 1\\nline 2\"}\n",
                "config", "hello", "--json");
        assertEmpty("shop has no config keys\n", "config", "shop");
        assertPrints("{}\n", "config", "shop", "--json");
    }

    @Test
    void keys() {
        assertPrints("""
                NAME   ROLE    APPS   FINGERPRINT
                alice  admin   all    SHA256:U8LSdSoT+Zbu8si68agEjVnPZd9hrioq0/V42rF+YcA
                ci     deploy  hello  SHA256:8UBl4wcMfZUnXNb69L9iMetWZgUUWXNbIbtJGkD21Fc
                """, "keys:list");
        assertPrints("[{\"name\":\"alice\",\"role\":\"admin\",\"apps\":[],\"fingerprint\":\"SHA256:U8LSdSoT+Zbu8si68agEjVnPZd9hrioq0/V42rF+YcA\"},"
                + "{\"name\":\"ci\",\"role\":\"deploy\",\"apps\":[\"hello\"],\"fingerprint\":\"SHA256:8UBl4wcMfZUnXNb69L9iMetWZgUUWXNbIbtJGkD21Fc\"}]\n",
                "keys:list", "--json");
    }

    @Test
    void domains() {
        assertPrints("""
                DOMAIN
                hello.example.test
                www.example.test
                """, "domains", "hello");
        assertPrints("[\"hello.example.test\",\"www.example.test\"]\n", "domains", "hello", "--json");
    }

    @Test
    void tokensAndBuilds() {
        assertPrints("""
                NAME       ROLE    APPS   CREATED           LAST USED
                dashboard  deploy  hello  2026-11-20 13:00  never
                ops        admin   all    2026-12-01 08:30  5 min ago
                """, "tokens:list");
        assertPrints("[{\"name\":\"dashboard\",\"role\":\"deploy\",\"apps\":[\"hello\"],\"created\":\"2026-11-20T12:00:00Z\",\"last_used\":null},"
                + "{\"name\":\"ops\",\"role\":\"admin\",\"apps\":[],\"created\":\"2026-12-01T07:30:00Z\",\"last_used\":\"2026-12-03T09:55:00Z\"}]\n",
                "tokens:list", "--json");
        assertPrints("""
                ID        STATUS   TRIGGER   BY         SOURCE                                CREATED
                build-42  pending  git-push  ci         3333333                               6 min ago
                build-41  failed   api       dashboard  https://ci.example.test/hello.tar.gz  2026-12-02 18:38
                """, "builds", "hello");
        assertPrints("""
                Build:    build-41
                App:      hello
                Status:   failed
                Trigger:  api
                By:       dashboard
                Source:   https://ci.example.test/hello.tar.gz
                Created:  2026-12-02 18:38
                Started:  2026-12-02 18:38
                Ended:    2026-12-02 18:39
                Release:  -
                Reason:   the Dockerfile failed at step 3
                """, "builds:info", "hello", "build-41");
        assertEmpty("shop has no builds\n", "builds", "shop");
    }
}
