package io.octohost.e2e.hardening;

import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Secrets;
import io.octohost.e2e.SshKey;
import io.octohost.e2e.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Issue 12, acceptance 2: bad input to every command, over the API socket and SSH, each refused with
 * its message while the state, the images, the routes and the running apps stay exactly as they were.
 */
@Tag("docker")
class BadCommandsTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    private static Refusals refusals;
    private static SshKey deployKey;
    private static String adminPublicKey;

    @BeforeAll
    static void twoAppsAndADeployKey() throws IOException {
        Reliability.start(BadCommandsTest.class);
        octohost.deployed("shop", Content.unique("shop"));
        octohost.deployed("blog", Content.unique("blog"));
        Cli.octo(octohost, "domains:add", "blog", "www.blog.example").orFail();
        deployKey = octohost.addKey("deployer", "deploy");
        adminPublicKey = Files.readString(octohost.adminKey().publicKey()).strip();
        refusals = new Refusals(octohost, BadCommandsTest.class, "shop", "blog");
    }

    @AfterAll
    static void report() {
        Reliability.writeReport();
    }

    /** One bad input: what it is, which way it came, the message it must get, and how to try it. */
    private record Case(String input, String via, String message, Supplier<Refusals.Attempt> attempt) {
    }

    private static Case octo(String message, String... args) {
        return new Case(String.join(" ", args), "octo", message, () -> refusals.octo(args));
    }

    private static Case octoStdin(String input, String stdin, String message, String... args) {
        return new Case(input, "octo " + String.join(" ", args), message, () -> refusals.octo(stdin.getBytes(StandardCharsets.UTF_8), args));
    }

    private static Case ssh(String message, String command) {
        return new Case(command, "ssh", message, () -> refusals.ssh(command));
    }

    private static Stream<DynamicTest> tests(String category, List<Case> cases) {
        return cases.stream().map(c -> DynamicTest.dynamicTest(category + ": " + c.input() + " (" + c.via() + ")",
                () -> refusals.assertRefused(category, c.input(), c.via(), c.message(), c.attempt())));
    }

    @TestFactory
    Stream<DynamicTest> domains() {
        return tests("domains", List.of(
                octo("domain localhost is a loopback name", "domains:add", "shop", "localhost"),
                octo("domain 127.0.0.1 is an IP address", "domains:add", "shop", "127.0.0.1"),
                octo("domain 10.0.0.7 is an IP address", "domains:add", "shop", "10.0.0.7"),
                octo("domain com is a bare top-level domain", "domains:add", "shop", "com"),
                octo("domain *.com is a wildcard above the second level", "domains:add", "shop", "*.com"),
                octo("domain *.test.octohost covers the default name of every app", "domains:add", "shop", "*.test.octohost"),
                octo("domain octohost-probe.invalid is octod's probe host", "domains:add", "shop", "octohost-probe.invalid"),
                octo("domain blog.test.octohost is the default name of app blog", "domains:add", "shop", "blog.test.octohost"),
                octo("domain future.test.octohost is the default name of app future", "domains:add", "shop", "future.test.octohost"),
                octo("domain www.blog.example belongs to app blog", "domains:add", "shop", "www.blog.example"),
                octo("invalid domain 'bad_name.example'", "domains:add", "shop", "bad_name.example"),
                octo("invalid domain '-x.example'", "domains:add", "shop", "-x.example"),
                // a valid host name too long for nginx's server_names_hash_bucket_size: nginx -t says so, octod keeps the old file
                octo("nginx rejected the new configuration: ", "domains:add", "shop", String.join(".", List.of("a".repeat(60),
                        "b".repeat(60), "c".repeat(60), "d".repeat(60), "example"))),
                octo("invalid domain '" + "a".repeat(63), "domains:add", "shop", String.join(".", List.of("a".repeat(63), "b".repeat(63),
                        "c".repeat(63), "d".repeat(63), "example"))),
                octo("invalid domain 'a..b'", "domains:set", "shop", "a..b"),
                octo("domain localhost is a loopback name", "config:set", "shop", "DOMAINS=localhost"),
                octo("domain 1.2.3.4 is an IP address", "config:set", "shop", "DOMAINS=ok.example 1.2.3.4"),
                octo("shop has no domain nothere.example", "domains:remove", "shop", "nothere.example"),
                octo("unknown app 'nosuchapp'", "domains:add", "nosuchapp", "x.example"),
                ssh("domain api.localhost is a loopback name", "domains:add shop api.localhost")));
    }

    @TestFactory
    Stream<DynamicTest> config() {
        String printf = "\"$(printf 'LATIN1=caf\\351')\"";
        return tests("config", List.of(
                octo("invalid config key '1X'", "config:set", "shop", "1X=y"),
                octo("invalid config key 'A-B'", "config:set", "shop", "A-B=y"),
                octo("'=v' is not KEY=VALUE", "config:set", "shop", "=v"),
                octo("'NOEQUALS' is not KEY=VALUE", "config:set", "shop", "NOEQUALS"),
                octo("invalid MEMORY_LIMIT 'lots'", "config:set", "shop", "MEMORY_LIMIT=lots"),
                octo("invalid MEMORY_LIMIT '1k': Docker needs at least 6m", "config:set", "shop", "MEMORY_LIMIT=1k", "API_TOKEN=" + Secrets.planted("refused")),
                octo("invalid container count -1", "config:set", "shop", "CONTAINERS=-1"),
                octo("invalid container count 999", "config:set", "shop", "CONTAINERS=999"),
                octo("invalid container count 'many'", "config:set", "shop", "CONTAINERS=many"),
                octo("invalid HEALTHCHECK_PATH '/a b'", "config:set", "shop", "HEALTHCHECK_PATH=/a b"),
                octo("invalid HEALTHCHECK_PATH '/x#frag'", "config:set", "shop", "HEALTHCHECK_PATH=/x#frag"),
                octo("invalid HEALTHCHECK_ATTEMPTS '0'", "config:set", "shop", "HEALTHCHECK_ATTEMPTS=0"),
                octo("invalid HEALTHCHECK_TIMEOUT '99999'", "config:set", "shop", "HEALTHCHECK_TIMEOUT=99999"),
                octo("invalid CAP_ADD 'SYS_ADMIN'", "config:set", "shop", "CAP_ADD=SYS_ADMIN"),
                octo("invalid CAP_DROP 'EVERYTHING'", "config:set", "shop", "CAP_DROP=EVERYTHING"),
                octo("the form config:set APP/KEY VALUE takes exactly one value", "config:set", "shop/KEY", "a", "b"),
                octo("invalid config key '9NOPE'", "config:unset", "shop", "9NOPE"),
                octo("shop has no config key NOPE", "config:get", "shop", "NOPE"),
                new Case("config:set shop LATIN1=caf\\351", "ssh", "the command is not valid UTF-8",
                        () -> refusals.bash(String.join(" ", octohost.sshCommand(octohost.adminKey(), "git@127.0.0.1"))
                                + " \"$(printf 'config:set shop LATIN1=caf\\351')\"")),
                new Case("config:set shop LATIN1=caf\\351", "octo", "argument 5 is not valid UTF-8",
                        () -> refusals.bash(Cli.java() + " -jar " + octohost.octoJar() + " --api-socket " + octohost.apiSocket()
                                + " config:set shop " + printf))));
    }

    @TestFactory
    Stream<DynamicTest> commands() {
        return tests("commands", List.of(
                octo("--confirm must repeat the app's name", "apps:destroy", "shop", "--confirm", "blog"),
                octo("invalid app name 'Bad_Name'", "apps:info", "Bad_Name"),
                octo("invalid app name '../etc'", "apps:info", "../etc"),
                octo("unknown app 'nosuch'", "apps:restart", "nosuch"),
                octo("invalid container count -1", "ps:scale", "shop", "-1"),
                octo("invalid container count 1000", "ps:scale", "shop", "1000"),
                octo("invalid release 'v0'", "rollback", "shop", "v0"),
                octo("invalid release 'x'", "rollback", "shop", "x"),
                octo("shop has no release v99", "rollback", "shop", "v99"),
                octo("Invalid value for option '--tail'", "logs", "shop", "--tail", "x"),
                octo("unknown command 'nosuch:command'", "nosuch:command"),
                ssh("unterminated single quote in the command", "config:set shop 'unterminated"),
                ssh("octohost takes pushes only", "git-upload-pack '/shop'"),
                new Case("config:set shop X=1", "ssh, deploy key", "permission denied: key 'deployer' may not run admin commands",
                        () -> refusals.ssh(deployKey, "config:set shop X=1"))));
    }

    @TestFactory
    Stream<DynamicTest> keys() throws IOException {
        return tests("keys:add", List.of(
                octoStdin("command=\"/bin/sh\" KEY", "command=\"/bin/sh\" " + newKey("ed25519", null), "the key has the option 'command'",
                        "keys:add", "k1"),
                octoStdin("from=\"10.0.0.1\" KEY", "from=\"10.0.0.1\" " + newKey("ed25519", null), "the key has the option 'from'",
                        "keys:add", "k2"),
                octoStdin("environment=\"A=b\" KEY", "environment=\"A=b\" " + newKey("ed25519", null), "the key has the option 'environment'",
                        "keys:add", "k3"),
                octoStdin("ssh-dss KEY", newKey("dsa", null), "DSA keys (ssh-dss) are refused", "keys:add", "k4"),
                octoStdin("ssh-rsa KEY of 1024 bits", newKey("rsa", "1024"), "RSA keys of 1024 bits are refused", "keys:add", "k5"),
                octoStdin("two keys on two lines", newKey("ed25519", null) + "\n" + newKey("ed25519", null),
                        "give exactly one line in authorized_keys format", "keys:add", "k6"),
                octoStdin("ssh-ed25519 garbage", "ssh-ed25519 garbage", "malformed public key", "keys:add", "k7"),
                octoStdin("(nothing)", "", "malformed public key", "keys:add", "k8"),
                octoStdin("a valid key named 'bad name'", newKey("ed25519", null), "invalid key name 'bad name'", "keys:add", "bad name"),
                octoStdin("a new key named like an existing one", newKey("ed25519", null), "a key named 'e2e-admin' exists already",
                        "keys:add", "e2e-admin"),
                octoStdin("the admin's key again", adminPublicKey, "this key is already added as 'e2e-admin'", "keys:add", "again"),
                octoStdin("a key with --role root", newKey("ed25519", null), "invalid role 'root'", "keys:add", "k9", "--role", "root"),
                octo("no key named 'nosuch'", "keys:remove", "nosuch")));
    }

    @TestFactory
    Stream<DynamicTest> stateImport() throws IOException {
        String h = "{\"octohost-state\":1}\n";
        String release = Cli.octo(octohost, "state:export").orFail().stdout().lines().filter(l -> l.contains("octod/releases/shop/"))
                .findFirst().orElseThrow();
        List<Case> cases = new ArrayList<>(List.of(
                octoStdin("(nothing)", "", "no input", "state:import"),
                octoStdin("hello", "hello\n", "line 1: not an octohost state export", "state:import"),
                octoStdin("format version 2", "{\"octohost-state\":2}\n", "line 1: state format version 2 is not supported", "state:import"),
                octoStdin("a line that is not JSON", h + "{nope\n", "line 2: not JSON", "state:import"),
                octoStdin("a value that is not base64", h + "{\"key\":\"octohost/shop/A\",\"value\":\"***\"}\n",
                        "line 2: the value is not base64", "state:import"),
                octoStdin("an unknown field", h + "{\"key\":\"octohost/shop/A\",\"value\":\"\",\"x\":1}\n", "line 2: unknown field 'x'",
                        "state:import"),
                octoStdin("a key outside the prefixes", h + entry("other/x", "y"), "line 2: key 'other/x' is outside octohost/ and octod/",
                        "state:import"),
                octoStdin("a key twice", h + entry("octohost/shop/A", "1") + entry("octohost/shop/A", "2"), "line 3: key 'octohost/shop/A' appears twice",
                        "state:import"),
                octoStdin("a key with a newline", h + "{\"key\":\"octohost/shop/\\nA\",\"value\":\"\"}\n", "has control characters",
                        "state:import"),
                octoStdin("a state.db line that is not one", "octohost-state 1\nnot-a-line\n", "line 2: expected 'BASE64KEY BASE64VALUE'",
                        "state:import"),
                octoStdin("a garbage release record", h + entry("octod/releases/shop/v00000099", "number=x\n"),
                        "line 2: octod/releases/shop/v00000099: unreadable release record (NumberFormatException", "state:import"),
                octoStdin("a release under another number", h + release.replace("v00000001", "v00000007"),
                        "release v1 of shop is kept under octod/releases/shop/v00000001", "state:import"),
                octoStdin("an owner record moving shop to repo blog", h + entry("octod/apps/shop", "blog\nmaster"),
                        "app shop cannot belong to repo blog branch master", "state:import"),
                octoStdin("an owner record moving shop to its branch main", h + entry("octod/apps/shop", "shop\nmain"),
                        "app shop belongs to repo shop branch master: an import does not move it", "state:import"),
                octoStdin("an owner record with branch HEAD", h + entry("octod/apps/shop-head", "shop\nHEAD"), "branch 'HEAD'",
                        "state:import"),
                octoStdin("a repo whose main branch is trunk", h + entry("octod/repos/shop/main", "trunk"),
                        "a repo's main branch is master or main", "state:import"),
                octoStdin("a config key that is no key", h + entry("octohost/shop/1BAD", "x"), "invalid config key '1BAD'", "state:import"),
                octoStdin("CONTAINERS=-5", h + entry("octohost/shop/CONTAINERS", "-5"), "invalid container count -5", "state:import"),
                octoStdin("MEMORY_LIMIT=lots", h + entry("octohost/shop/MEMORY_LIMIT", "lots"), "invalid MEMORY_LIMIT 'lots'", "state:import"),
                octoStdin("DOMAINS=localhost", h + entry("octohost/shop/DOMAINS", "localhost"), "domain localhost is a loopback name",
                        "state:import"),
                octoStdin("DOMAINS holding blog's default name", h + entry("octohost/shop/DOMAINS", "blog.test.octohost"),
                        "domain blog.test.octohost is the default name of app blog", "state:import"),
                octoStdin("DOMAINS blog has", h + entry("octohost/shop/DOMAINS", "www.blog.example"),
                        "line 2: octohost/shop/DOMAINS: domain www.blog.example belongs to app blog", "state:import"),
                octoStdin("a value that is not UTF-8", h + "{\"key\":\"octohost/shop/LATIN1\",\"value\":\""
                        + Base64.getEncoder().encodeToString(new byte[] {'c', 'a', 'f', (byte) 0xe9}) + "\"}\n",
                        "the value of LATIN1 is not valid UTF-8", "state:import"),
                octoStdin("a key record with role root", h + entry("octod/keys/mallory", "root\n" + newKey("ed25519", null).split(" ")[0]
                        + " " + newKey("ed25519", null).split(" ")[1]), "invalid role 'root'", "state:import"),
                octoStdin("a key record with no key", h + entry("octod/keys/mallory", "admin\nssh-ed25519 AAAA"), "malformed public key",
                        "state:import"),
                octoStdin("a key record with an RSA key of 1024 bits", h + entry("octod/keys/mallory", "admin\n"
                        + String.join(" ", List.of(newKey("rsa", "1024").split(" ")).subList(0, 2))), "RSA keys of 1024 bits are refused",
                        "state:import"),
                octoStdin("a record octod does not keep", h + entry("octod/backdoor/x", "y"), "octod keeps no such record", "state:import"),
                octoStdin("a forged token record", h + entry("octod/tokens/ci", "{\"role\":\"deploy\"}"),
                        "a token record has a role, apps, a sha256 and a creation time", "state:import")));
        return tests("state:import", cases);
    }

    private static String entry(String key, String value) {
        return "{\"key\":\"" + key + "\",\"value\":\"" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\"}\n";
    }

    /** A fresh public key line of the type, made with the real ssh-keygen. */
    static String newKey(String type, String bits) throws IOException {
        Path dir = Files.createTempDirectory("key");
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "someone@somewhere",
                "-f", dir.resolve("k").toString()));
        if (bits != null) {
            cmd.addAll(List.of("-b", bits));
        }
        Proc.of(cmd).run().orFail();
        return Files.readString(dir.resolve("k.pub")).strip();
    }
}
