package io.octohost.e2e.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Http;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.SshKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's acceptance, end to end, with the real octo jar (over the API socket) and the real OpenSSH
 * client: config, reserved keys and scaling, domains, branch apps, key roles, logs and destroy, a
 * {@code kill -9} in the middle of writes, {@code --json}, and the bad-input list. Written once and
 * run against each state store backend by the subclasses (issue 5, acceptance 1):
 * {@link CliOnEmbeddedStoreTest} and {@link CliOnConsulTest}.
 *
 * <p>One octod serves the whole class; each scenario deploys its own apps and sets the keys it
 * checks, so scenarios do not lean on each other's state and run in any order. What a scenario
 * compares across the whole octod (bad input "changes nothing") is taken once the replaced
 * containers of earlier scenarios have drained.
 *
 * <p>The test app is busybox httpd ({@code -vv}: one log line per request, with its path) behind
 * docker-init, with a CGI {@code /cgi-bin/env} that prints {@code /proc/1/environ}: the container's
 * environment, byte-exact, NUL-separated.
 */
@Tag("docker")
abstract class CliScenarios {
    static final String ENV_APP_DOCKERFILE = String.join("\n",
            "FROM octohost/busybox:latest",
            "COPY www /www",
            "EXPOSE 80",
            // exec form: PID 1 is docker-init (octod runs containers with --init), whose environment
            // is exactly what Docker gave the container; -vv logs each request's path to stderr
            "CMD [\"httpd\", \"-f\", \"-vv\", \"-p\", \"80\", \"-h\", \"/www\"]",
            "");
    static final String ENV_CGI = "#!/bin/sh\n"
            + "printf 'Content-Type: application/octet-stream\\r\\n\\r\\n'\n"
            + "exec cat /proc/1/environ\n";
    static final List<String> RESERVED = List.of("DOMAINS", "CONTAINERS", "MEMORY_LIMIT", "NO_HTTP_PROXY");
    private static final Duration FOLLOW_TIMEOUT = Duration.ofSeconds(15);

    /** The octohost of the concrete class (one per class and backend). */
    abstract Octohost octohost();

    // ================================================================ acceptance 1: config reaches the env

    @Test
    void configSetReachesTheContainerByteExactAndUnsetRemovesItLocallyAndOverSsh() throws IOException {
        Octohost o = octohost();
        SshKey admin = o.adminKey();
        deploy("hello");

        // the value, through the octo jar: in the container's env when the command returns
        String greeting = "hello world = \"x\"";
        Cli.Run set = Cli.octo(o, "config:set", "hello", "GREETING=" + greeting).orFail();
        Http.Response env = envOf("hello");
        assertTrue(Cli.hasEntry(env, "GREETING", greeting), () -> "GREETING=" + greeting + " should be in the env right after\n"
                + set.describe() + "\nenv: " + Cli.env(env));
        assertEquals(greeting + "\n", Cli.octo(o, "config:get", "hello", "GREETING").orFail().stdout());

        // harder values: quotes, $, backquotes, backslashes, '=', newlines, tabs, unicode, empty
        String tricky = "a  b=c 'single' \"double\" $HOME ${X} `id` \\back\\slash\nsecond line\ttab ünïcødé 🐙 ∑";
        Cli.octo(o, "config:set", "hello", "TRICKY=" + tricky, "EMPTY=", "EQUALS==a=b=").orFail();
        Http.Response env2 = envOf("hello");
        assertTrue(Cli.hasEntry(env2, "TRICKY", tricky), () -> "TRICKY byte-exact; env: " + Cli.env(env2));
        assertTrue(Cli.hasEntry(env2, "EMPTY", ""), () -> "EMPTY= (an empty value); env: " + Cli.env(env2));
        assertTrue(Cli.hasEntry(env2, "EQUALS", "=a=b="), () -> "EQUALS==a=b= splits at the first '='; env: " + Cli.env(env2));
        assertTrue(Cli.hasEntry(env2, "GREETING", greeting), "the earlier key stays");
        assertEquals(tricky + "\n", Cli.octo(o, "config:get", "hello", "TRICKY").orFail().stdout());

        // config:export is a shell-quoted env file: a shell that sources it gets the same bytes
        Cli.Run export = Cli.octo(o, "config:export", "hello").orFail();
        Path envFile = Files.createTempFile("octo-export-", ".env");
        try {
            Files.write(envFile, export.stdoutBytes());
            Proc.Result sourced = Proc.of("sh", "-c", ". \"$1\" && printf '%s|%s|%s' \"$TRICKY\" \"$GREETING\" \"$EQUALS\"", "sh",
                    envFile.toString()).run();
            assertEquals(0, sourced.exitCode(), () -> sourced.describe() + "\n" + export.describe());
            assertEquals(tricky + "|" + greeting + "|=a=b=", sourced.output(), export::describe);
        } finally {
            Files.deleteIfExists(envFile);
        }

        // config:unset removes them from the container's env when it returns
        Cli.octo(o, "config:unset", "hello", "GREETING", "EQUALS").orFail();
        Map<String, String> env3 = Cli.env(envOf("hello"));
        assertFalse(env3.containsKey("GREETING"), () -> "GREETING was unset; env: " + env3);
        assertFalse(env3.containsKey("EQUALS"), () -> "EQUALS was unset; env: " + env3);
        assertEquals(tricky, env3.get("TRICKY"), "TRICKY was not unset");
        assertEquals(1, Cli.octo(o, "config:get", "hello", "GREETING").exit());

        // the same over ssh: the command string is split by shell word rules
        Cli.Run sshSet = Cli.ssh(o, admin, "config:set hello 'GREETING=hello world = \"x\"'");
        assertEquals(0, sshSet.exit(), sshSet::describe);
        Http.Response env4 = envOf("hello");
        assertTrue(Cli.hasEntry(env4, "GREETING", greeting), () -> "over ssh; env: " + Cli.env(env4));
        // octohost's form APP/KEY VALUE, with an escaped single quote and a newline inside quotes
        Cli.ssh(o, admin, "config:set hello/FORM 'it'\\''s $HOME\nline 2'").orFail();
        assertTrue(Cli.hasEntry(envOf("hello"), "FORM", "it's $HOME\nline 2"), "octohost's APP/KEY VALUE form over ssh");
        assertEquals("it's $HOME\nline 2\n", Cli.ssh(o, admin, "config:get hello FORM").orFail().stdout());
        Cli.ssh(o, admin, "config:unset hello GREETING FORM").orFail();
        Map<String, String> env5 = Cli.env(envOf("hello"));
        assertFalse(env5.containsKey("GREETING"), () -> "unset over ssh; env: " + env5);
        assertFalse(env5.containsKey("FORM"), () -> "unset over ssh; env: " + env5);

        // --no-restart stores only: the running container keeps its env until the next restart
        Cli.octo(o, "config:set", "hello", "LATER=1", "--no-restart").orFail();
        assertFalse(Cli.env(envOf("hello")).containsKey("LATER"), "--no-restart must not restart the app");
        assertEquals("1\n", Cli.octo(o, "config:get", "hello", "LATER").orFail().stdout());
        Cli.octo(o, "apps:restart", "hello").orFail();
        assertEquals("1", Cli.env(envOf("hello")).get("LATER"), "apps:restart runs with the stored config");
    }

    // ================================================================ acceptance 2: reserved keys, scaling

    @Test
    void reservedKeysAreNotInTheEnvAndContainersOrPsScaleRunThatManyBehindNginx() {
        Octohost o = octohost();
        String page = deploy("scaler");

        Cli.octo(o, "config:set", "scaler", "PLAIN=visible", "DOMAINS=scaler-alias.example.test", "MEMORY_LIMIT=64m",
                "CONTAINERS=1").orFail();
        Map<String, String> env = Cli.env(envOf("scaler"));
        assertEquals("visible", env.get("PLAIN"), () -> "env: " + env);
        for (String reserved : RESERVED) {
            assertFalse(env.containsKey(reserved), () -> reserved + " must not be in the container's env: " + env);
        }
        // and each still means what it meant to octohost
        assertEquals(page, Http.get(o.httpPort(), "scaler-alias.example.test", "/").bodyText(), "DOMAINS routes the alias");
        String only = o.awaitOnlyContainer("scaler");
        assertEquals(String.valueOf(64L << 20), inspect(only, "{{.HostConfig.Memory}}"), "MEMORY_LIMIT=64m is Docker's limit");

        // NO_HTTP_PROXY leaves the app unrouted (its container runs, reachable on its own port) and is not in the env
        Cli.octo(o, "config:set", "scaler", "NO_HTTP_PROXY=1").orFail();
        assertFalse(o.routes().contains("octohost_scaler"), () -> "NO_HTTP_PROXY: no route for scaler\n" + o.routes());
        assertNotEquals(page, o.get("scaler").bodyText(), "an unrouted app is not served through nginx");
        String unrouted = o.awaitOnlyContainer("scaler");
        Map<String, String> direct = Cli.env(Http.get(hostPort(unrouted), "x", "/cgi-bin/env"));
        assertEquals("visible", direct.get("PLAIN"), () -> "env: " + direct);
        for (String reserved : RESERVED) {
            assertFalse(direct.containsKey(reserved), () -> reserved + " must not be in the container's env: " + direct);
        }
        Cli.octo(o, "config:unset", "scaler", "NO_HTTP_PROXY").orFail();
        assertEquals(page, o.get("scaler").bodyText(), "routed again");

        // CONTAINERS=3 through config:set
        Cli.octo(o, "config:set", "scaler", "CONTAINERS=3").orFail();
        assertScaled("scaler", 3, page);

        // ps:scale 0 stops the app and keeps it
        Cli.octo(o, "ps:scale", "scaler", "0").orFail();
        awaitRunning("scaler", 0);
        assertEquals(List.of(), upstreamPorts("scaler"), () -> "no backends at scale 0\n" + o.routes());
        assertNotEquals(page, o.get("scaler").bodyText(), "scaled to 0, not served");
        assertTrue(appNames().contains("scaler"), "scale 0 keeps the app");

        // ps:scale 3 runs 3 again, all behind nginx, and is stored as CONTAINERS
        Cli.Run three = Cli.octo(o, "ps:scale", "scaler", "3").orFail();
        assertScaled("scaler", 3, page);
        assertEquals("3", Cli.octo(o, "config:get", "scaler", "CONTAINERS").orFail().stdout().strip(), three::describe);
    }

    // ================================================================ acceptance 3: domains

    @Test
    void domainsAreServedWhenTheCommandReturnsBelongToOneAppAndComeFromCname() {
        Octohost o = octohost();
        String ownerPage = deploy("domowner");
        String claimantPage = deploy("claimant");

        Cli.Run add = Cli.octo(o, "domains:add", "domowner", "www.example.test").orFail();
        Http.Response served = Http.get(o.httpPort(), "www.example.test", "/");
        assertEquals(200, served.status(), () -> served + "\n" + add.describe());
        assertEquals(ownerPage, served.bodyText());
        assertEquals(List.of("domowner.test.octohost", "www.example.test"),
                Json.strings(Cli.octo(o, "domains", "domowner", "--json").orFail().json()));
        // the default domain still works
        assertEquals(ownerPage, o.get("domowner").bodyText());

        // another app cannot claim it, by any command, and the message names the owner
        Snapshot before = snapshot();
        for (String[] claim : List.of(
                new String[] {"domains:add", "claimant", "www.example.test"},
                new String[] {"domains:set", "claimant", "www.example.test"},
                new String[] {"domains:add", "claimant", "free.example.test", "WWW.Example.Test"},
                new String[] {"config:set", "claimant", "DOMAINS=www.example.test"},
                new String[] {"domains:add", "claimant", "domowner.test.octohost"})) {
            Cli.Run r = Cli.octo(o, claim);
            assertRejected(before, 1, "domowner", r);
        }
        assertEquals(ownerPage, Http.get(o.httpPort(), "www.example.test", "/").bodyText(), "the owner keeps its domain");
        assertEquals(404, Http.get(o.httpPort(), "free.example.test", "/").status(), "nothing of a rejected command was applied");

        // domains:remove frees it; then the other app may take it, served at once
        Cli.octo(o, "domains:remove", "domowner", "www.example.test").orFail();
        assertNotEquals(ownerPage, Http.get(o.httpPort(), "www.example.test", "/").bodyText(), "removed domain still served");
        Cli.octo(o, "domains:set", "claimant", "www.example.test", "other.example.test").orFail();
        assertEquals(claimantPage, Http.get(o.httpPort(), "www.example.test", "/").bodyText());
        assertEquals(claimantPage, Http.get(o.httpPort(), "other.example.test", "/").bodyText());
        assertEquals(List.of("claimant.test.octohost", "other.example.test", "www.example.test"),
                Json.strings(Cli.octo(o, "domains", "claimant", "--json").orFail().json()));

        // a CNAME file in the repo adds its lines as domains at deploy
        AppRepo cnamed = envApp("cnamed");
        String cnamePage = Content.unique("cnamed");
        cnamed.write("www/index.html", cnamePage).write("CNAME", "cname-a.example.test\ncname-b.example.test\n").commit("cname");
        PushResult push = cnamed.push("master");
        assertEquals(0, push.exitCode(), push::describe);
        assertEquals(cnamePage, Http.get(o.httpPort(), "cname-a.example.test", "/").bodyText(), push::describe);
        assertEquals(cnamePage, Http.get(o.httpPort(), "cname-b.example.test", "/").bodyText(), push::describe);
        List<String> domains = Json.strings(Cli.octo(o, "domains", "cnamed", "--json").orFail().json());
        assertTrue(domains.containsAll(List.of("cname-a.example.test", "cname-b.example.test")), () -> "domains: " + domains);
    }

    // ================================================================ acceptance 4: branch apps

    @Test
    void aBranchAppInheritsTheBaseAppsKeysAndCanOverrideThem() {
        Octohost o = octohost();
        AppRepo repo = envApp("review");
        String basePage = Content.unique("review master");
        repo.write("www/index.html", basePage).deploy("master", basePage);
        Cli.octo(o, "config:set", "review", "SHARED=from-base", "OVERRIDE=base", "MEMORY_LIMIT=64m").orFail();
        Cli.octo(o, "domains:add", "review", "review.example.test").orFail();
        Cli.octo(o, "config:set", "review", "CONTAINERS=2", "--no-restart").orFail();

        // the branch feature-x becomes app review-feature-x
        String branchPage = Content.unique("review feature-x");
        repo.branch("feature-x").write("www/index.html", branchPage).deploy("feature-x", branchPage);

        // it inherits env keys and MEMORY_LIMIT, not DOMAINS nor CONTAINERS
        Map<String, String> env = Cli.env(envOf("review-feature-x"));
        assertEquals("from-base", env.get("SHARED"), () -> "env: " + env);
        assertEquals("base", env.get("OVERRIDE"), () -> "env: " + env);
        String branchContainer = o.awaitOnlyContainer("review-feature-x");
        assertEquals(String.valueOf(64L << 20), inspect(branchContainer, "{{.HostConfig.Memory}}"), "MEMORY_LIMIT is inherited");
        assertEquals(List.of("review-feature-x.test.octohost"),
                Json.strings(Cli.octo(o, "domains", "review-feature-x", "--json").orFail().json()), "DOMAINS is not inherited");
        assertNotEquals(branchPage, Http.get(o.httpPort(), "review.example.test", "/").bodyText());
        JsonNode branchConfig = Cli.octo(o, "config", "review-feature-x", "--json").orFail().json();
        assertEquals("from-base", branchConfig.path("SHARED").asText(), () -> "config --json shows inherited keys: " + branchConfig);

        // it overrides a key for itself only
        Cli.octo(o, "config:set", "review-feature-x", "OVERRIDE=branch").orFail();
        Map<String, String> overridden = Cli.env(envOf("review-feature-x"));
        assertEquals("branch", overridden.get("OVERRIDE"), () -> "env: " + overridden);
        assertEquals("from-base", overridden.get("SHARED"), () -> "env: " + overridden);
        assertEquals("base", Cli.env(envOf("review")).get("OVERRIDE"), "the base app keeps its value");

        // a base change names the branch apps, and reaches them at their next restart
        Cli.Run change = Cli.octo(o, "config:set", "review", "SHARED=base-v2").orFail();
        assertTrue(change.stdout().contains("review-feature-x"), () -> "config:set on the base app names its branch apps\n"
                + change.describe());
        assertEquals("base-v2", Cli.env(envOf("review")).get("SHARED"));
        assertEquals("from-base", Cli.env(envOf("review-feature-x")).get("SHARED"), "not before the branch app restarts");
        Cli.octo(o, "apps:restart", "review-feature-x").orFail();
        Map<String, String> restarted = Cli.env(envOf("review-feature-x"));
        assertEquals("base-v2", restarted.get("SHARED"), () -> "env: " + restarted);
        assertEquals("branch", restarted.get("OVERRIDE"), () -> "env: " + restarted);
        assertEquals(1, o.awaitContainers("review-feature-x", 1).size(), "CONTAINERS is not inherited");
        // unsetting the override falls back to the base value
        Cli.octo(o, "config:unset", "review-feature-x", "OVERRIDE").orFail();
        assertEquals("base", Cli.env(envOf("review-feature-x")).get("OVERRIDE"));
    }

    // ================================================================ acceptance 5: key roles

    @Test
    void aDeployKeyCanPushButNotRunCommandsAnAdminKeyCanDoBoth() throws IOException {
        Octohost o = octohost();
        SshKey deployKey = o.addKey("deployer", "deploy");

        // keys:list shows name, role and the key's fingerprint
        String fingerprint = Proc.of("ssh-keygen", "-l", "-f", deployKey.publicKey().toString()).run().orFail().trimmed()
                .split("\\s+")[1];
        JsonNode keys = Cli.octo(o, "keys:list", "--json").orFail().json();
        JsonNode listed = Json.elements(keys).stream().filter(k -> "deployer".equals(k.path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("deployer not in keys:list --json: " + keys));
        assertEquals("deploy", listed.path("role").asText());
        assertEquals(fingerprint, listed.path("fingerprint").asText());
        assertTrue(Cli.octo(o, "keys:list").orFail().stdout().lines()
                .anyMatch(l -> l.contains("deployer") && l.contains("deploy") && l.contains(fingerprint)));

        // the deploy key pushes
        String page = Content.unique("deployed v1");
        AppRepo app = envApp("deployed").as(deployKey);
        app.write("www/index.html", page).deploy("master", page);

        // and gets permission denied for commands, over ssh, changing nothing
        Snapshot before = snapshot();
        for (String command : List.of("config:set deployed K=V", "config deployed", "apps:list", "keys:list",
                "keys:add sneaky --role admin", "config:set deployed --help")) {
            Cli.Run denied = Cli.ssh(o, deployKey, "keys:add sneaky --role admin".equals(command)
                    ? Files.readAllBytes(deployKey.publicKey()) : null, command);
            assertRejected(before, 1, "permission denied", denied);
        }
        assertFalse(Cli.env(envOf("deployed")).containsKey("K"));

        // an admin key does both: a push and config:set over ssh
        String page2 = Content.unique("deployed v2");
        app.as(o.adminKey()).write("www/index.html", page2).deploy("master", page2);
        Cli.ssh(o, o.adminKey(), "config:set deployed K=V").orFail();
        assertEquals("V", Cli.env(envOf("deployed")).get("K"));

        // octohost's "upload key": cat key.pub | ssh ... keys:add NAME, with an admin key
        SshKey second = o.newKey("uploaded");
        Cli.Run upload = Cli.ssh(o, o.adminKey(), Files.readAllBytes(second.publicKey()), "keys:add uploaded --role deploy");
        assertEquals(0, upload.exit(), upload::describe);
        Cli.Run viaUploaded = Cli.ssh(o, second, "apps:list");
        assertEquals(1, viaUploaded.exit(), viaUploaded::describe);
        assertTrue(viaUploaded.stderr().contains("permission denied"), viaUploaded::describe);

        // keys:remove: the removed key can no longer push
        Cli.octo(o, "keys:remove", "deployer").orFail();
        AppRepo removed = app.as(deployKey);
        removed.write("www/index.html", Content.unique("deployed v3")).commit("v3");
        PushResult refused = removed.push("master");
        assertNotEquals(0, refused.exitCode(), refused::describe);
        assertEquals(page2, o.get("deployed").bodyText());
        assertFalse(Cli.octo(o, "keys:list").orFail().stdout().contains("deployer"));
    }

    @Test
    void helpWorksForEveryCommandLocallyAndOverSsh() {
        Octohost o = octohost();
        Cli.Run top = Cli.octo(o, "--help").orFail();
        List<String> commands = List.of("apps:list", "apps:info", "apps:restart", "apps:destroy", "config", "config:get",
                "config:set", "config:unset", "config:export", "domains", "domains:set", "domains:add", "domains:remove",
                "ps:scale", "logs", "keys:add", "keys:list", "keys:remove", "releases", "rollback", "releases:source");
        for (String c : commands) {
            assertTrue(Pattern.compile("(?m)^\\s+" + Pattern.quote(c) + "\\b").matcher(top.stdout()).find(),
                    () -> "octo --help should list " + c + "\n" + top.describe());
            Cli.Run local = Cli.octo(o, c, "--help");
            assertEquals(0, local.exit(), local::describe);
            assertTrue(local.stdout().contains("Usage:") && local.stdout().contains(c), local::describe);
            assertTrue(local.stdout().contains("Example:\n  octo "), () -> "no example in the help of " + c + "\n" + local.describe());
            assertEquals(local.stdout(), Cli.octo(o, "help", c).orFail().stdout(), "octo help " + c + " and " + c + " --help");
            Cli.Run remote = Cli.ssh(o, o.adminKey(), c + " --help");
            assertEquals(0, remote.exit(), remote::describe);
            assertEquals(local.stdout(), remote.stdout(), "the same help both ways for " + c);
        }
        // (a bare "--help" after the host is taken by ssh itself; "help" is the way over ssh)
        Cli.Run help = Cli.ssh(o, o.adminKey(), "help");
        assertEquals(0, help.exit(), help::describe);
        assertEquals(top.stdout(), help.stdout(), "octo --help and ssh ... help");
        Cli.Run helpSet = Cli.ssh(o, o.adminKey(), "help config:set");
        assertEquals(0, helpSet.exit(), helpSet::describe);
        assertTrue(helpSet.stdout().contains("APP/KEY VALUE"), helpSet::describe);
    }

    /**
     * Issue 17: the bash completion octo prints, loaded in a real bash with the real octo (the jar,
     * as a command on PATH): commands, an option's fixed values, and app names asked of octod. bash
     * calls the function with the words it split (at ':' too), as it does on TAB.
     */
    @Test
    void bashCompletesCommandsOptionsAndAppNames() throws IOException {
        Octohost o = octohost();
        deploy("completed");
        Path bin = Files.createTempDirectory("octo-bin");
        Path octo = bin.resolve("octo");
        Files.writeString(octo, "#!/bin/sh\nexec '" + Cli.java() + "' -jar '" + o.octoJar() + "' --api-socket '" + o.apiSocket()
                + "' \"$@\"\n");
        Files.setPosixFilePermissions(octo, PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = String.join("\n",
                "PATH=" + bin + ":$PATH",
                "source <(octo completion bash) || exit 1",
                "complete -p octo",
                // what TAB offers after the words given (the last one is being completed)
                "tab() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}; COMPREPLY=();",
                "  _octo; printf '%s\\n' \"${COMPREPLY[@]}\" | sort | paste -sd ' '; }",
                "tab octo con",
                "tab octo config : s",
                "tab octo keys:add ci --role ''",
                "tab octo config ''",
                "");
        Cli.Run bash = Cli.run(List.of("bash", "--norc", "--noprofile", "-c", script), null).orFail();
        List<String> lines = bash.stdout().lines().toList();
        assertEquals("complete -F _octo octo", lines.get(0), bash::describe);
        assertEquals("config config:export config:get config:set config:unset", lines.get(1), bash::describe);
        assertEquals("set", lines.get(2), bash::describe);
        assertEquals("admin deploy", lines.get(3), bash::describe);
        assertTrue(List.of(lines.get(4).split(" ")).contains("completed"), bash::describe);
        assertEquals(Cli.octo(o, "apps:list", "--quiet").orFail().stdout().lines().sorted().toList(),
                List.of(lines.get(4).split(" ")), bash::describe);
    }

    // ================================================================ acceptance 6: logs, destroy

    @Test
    void logsFollowStreamsNewLinesLocallyAndOverSsh() {
        Octohost o = octohost();
        deploy("chatty");
        String before = "/before-" + java.util.UUID.randomUUID();
        assertEquals(404, o.get("chatty", before).status());

        // The app's log grows by itself on Consul, whose HTTP check of the service asks the app every
        // few seconds (busybox httpd logs each request): what "the last N lines" are is judged against
        // the whole log read before and after, not against the request the test made.
        List<String> logBefore = logLines("chatty");
        assertTrue(logBefore.stream().anyMatch(l -> l.contains(before)), () -> "the request is not in the log: " + logBefore);

        // logs --tail N: the last lines, and exits
        Cli.Run tail = Cli.octo(o, "logs", "chatty", "--tail", "2").orFail();
        assertEquals("", tail.stderr(), tail::describe);
        assertTailOf(2, tail.stdout().lines().toList(), logBefore, logLines("chatty"));

        List<String> attachBefore = logLines("chatty");
        try (Cli.Follower local = Cli.followOcto(o, "logs", "chatty", "-f");
             Cli.Follower remote = Cli.followSsh(o, o.adminKey(), "logs chatty -f --tail 1")) {
            // both have attached once they print the current tail: all of it (up to 100 lines) locally, the last line over ssh
            local.awaitOutput(before, FOLLOW_TIMEOUT);
            String firstRemote = remote.awaitFirstLine(FOLLOW_TIMEOUT);
            assertTailOf(1, List.of(firstRemote), attachBefore, logLines("chatty"));
            for (int i = 0; i < 2; i++) {
                String marker = "/follow-" + i + "-" + java.util.UUID.randomUUID();
                assertEquals(404, o.get("chatty", marker).status());
                local.awaitOutput(marker, FOLLOW_TIMEOUT);
                remote.awaitOutput(marker, FOLLOW_TIMEOUT);
            }
            assertTrue(local.alive(), "octo logs -f keeps following");
            assertTrue(remote.alive(), "ssh ... logs -f keeps following");
            assertFalse(remote.stdout().contains(before), "--tail 1 over ssh showed older lines:\n" + remote.stdout());
        }
    }

    /** The whole log of an app, as {@code octo logs APP} prints it. */
    List<String> logLines(String app) {
        return Cli.octo(octohost(), "logs", app, "--tail", "100000").orFail().stdout().lines().toList();
    }

    /**
     * {@code tail} is the last {@code n} lines of the log at some moment between two readings of the
     * whole log: the last n lines of {@code before}, or of a longer prefix of {@code after}.
     */
    static void assertTailOf(int n, List<String> tail, List<String> before, List<String> after) {
        assertEquals(before, after.subList(0, Math.min(before.size(), after.size())), "the log only grows");
        boolean found = false;
        for (int end = before.size(); end <= after.size() && !found; end++) {
            found = tail.equals(after.subList(Math.max(0, end - n), end));
        }
        assertTrue(found, () -> "not the last " + n + " line(s) of the log: " + tail + "\nlog before: " + before + "\nlog after: " + after);
    }

    @Test
    void appsDestroyRemovesExactlyOneApp() {
        Octohost o = octohost();
        String keptPage = deploy("hello-world");
        Cli.octo(o, "config:set", "hello-world", "KEEP=me").orFail();
        Cli.octo(o, "domains:add", "hello-world", "kept.example.test").orFail();
        String goner = deploy("goner");
        Cli.octo(o, "config:set", "goner", "GONE=soon").orFail();
        Cli.octo(o, "domains:add", "goner", "gone.example.test").orFail();
        assertEquals(goner, Http.get(o.httpPort(), "gone.example.test", "/").bodyText());
        String keptContainer = o.awaitOnlyContainer("hello-world");
        o.awaitOnlyContainer("goner");
        List<String> keptState = stateLines(l -> l.contains("hello-world"));
        assertFalse(keptState.isEmpty());
        assertFalse(o.images("goner").isEmpty(), "goner's image should exist before");

        // a wrong --confirm changes nothing
        Snapshot before = snapshot();
        assertRejected(before, 1, null, Cli.octo(o, "apps:destroy", "goner", "--confirm", "hello-world"));

        Cli.Run destroy = Cli.octo(o, "apps:destroy", "goner", "--confirm", "goner");
        assertEquals(0, destroy.exit(), destroy::describe);

        // goner: containers, image, repo, state and route are gone
        assertEquals(List.of(), o.awaitContainers("goner", 0));
        assertEquals(Set.of(), o.images("goner"), "goner's images should be removed");
        assertFalse(o.routes().contains("goner"), () -> "route of goner left:\n" + o.routes());
        assertNotEquals(goner, o.get("goner").bodyText());
        assertNotEquals(goner, Http.get(o.httpPort(), "gone.example.test", "/").bodyText());
        assertEquals(List.of(), stateLines(l -> l.contains("goner")), "no state of goner may be left");
        assertTrue(o.dataDirListing().stream().noneMatch(p -> p.contains("goner")),
                () -> "files of goner left in the data dir: " + o.dataDirListing());
        assertFalse(appNames().contains("goner"));
        assertEquals(1, Cli.octo(o, "config", "goner").exit(), "goner is unknown now");

        // hello-world: same container, content, config, domains and state
        assertTrue(appNames().contains("hello-world"));
        assertEquals(keptContainer, o.onlyContainer("hello-world"));
        assertEquals(keptPage, o.get("hello-world").bodyText());
        assertEquals(keptPage, Http.get(o.httpPort(), "kept.example.test", "/").bodyText());
        assertEquals("me", Cli.env(envOf("hello-world")).get("KEEP"));
        assertEquals(keptState, stateLines(l -> l.contains("hello-world")));
    }

    // ================================================================ bad input

    @Test
    void badInputGetsOneLineErrorNonZeroExitAndChangesNothing() throws IOException {
        Octohost o = octohost();
        deploy("steady");
        deploy("holder");
        Cli.octo(o, "config:set", "steady", "KEEP=1").orFail();
        Cli.octo(o, "domains:add", "steady", "steady.example.test").orFail();
        Cli.octo(o, "domains:add", "holder", "held.example.test").orFail();
        Snapshot before = snapshot();
        SshKey spare = o.newKey("spare");
        byte[] sparePub = Files.readAllBytes(spare.publicKey());
        String pub = new String(sparePub, StandardCharsets.UTF_8).strip();
        String longLabel = "a".repeat(64) + ".example.test";
        String tooLong = ("a".repeat(60) + ".").repeat(4) + "example.test"; // 256 characters

        List<BadInput> bad = List.of(
                // an unknown app
                bad(1, "nosuch", "config", "nosuch"),
                bad(1, "nosuch", "config:get", "nosuch", "K"),
                bad(1, "nosuch", "config:set", "nosuch", "K=V"),
                bad(1, "nosuch", "config:set", "nosuch/K", "V"),
                bad(1, "nosuch", "config:set", "nosuch", "K=V", "--no-restart"),
                bad(1, "nosuch", "config:unset", "nosuch", "K"),
                bad(1, "nosuch", "config:export", "nosuch"),
                bad(1, "nosuch", "apps:info", "nosuch"),
                bad(1, "nosuch", "apps:info", "nosuch", "--json"),
                bad(1, "nosuch", "apps:restart", "nosuch"),
                bad(1, "nosuch", "apps:destroy", "nosuch", "--confirm", "nosuch"),
                bad(1, "nosuch", "domains", "nosuch"),
                bad(1, "nosuch", "domains:add", "nosuch", "a.example.test"),
                bad(1, "nosuch", "ps:scale", "nosuch", "2"),
                bad(1, "nosuch", "logs", "nosuch"),
                bad(1, "nosuch", "releases", "nosuch"),
                bad(1, "Bad_App", "config:set", "Bad_App", "K=V"),
                // a bad key name, alone or beside good ones
                bad(1, "BAD-KEY", "config:set", "steady", "BAD-KEY=1"),
                bad(1, "1ST", "config:set", "steady", "1ST=x"),
                bad(1, "KEY WITH SPACE", "config:set", "steady", "KEY WITH SPACE=1"),
                bad(1, null, "config:set", "steady", "=novalue"),
                bad(1, "NOEQUALS", "config:set", "steady", "NOEQUALS"),
                bad(1, "BAD-KEY", "config:set", "steady", "GOOD=1", "BAD-KEY=2"),
                bad(1, "BAD-KEY", "config:set", "steady", "GOOD=1", "BAD-KEY=2", "--no-restart"),
                bad(1, "BAD-KEY", "config:set", "steady/BAD-KEY", "v"),
                bad(1, "BAD-KEY", "config:unset", "steady", "KEEP", "BAD-KEY"),
                bad(1, "BAD-KEY", "config:get", "steady", "BAD-KEY"),
                bad(1, "MEMORY_LIMIT", "config:set", "steady", "GOOD=1", "MEMORY_LIMIT=lots"),
                // a bad domain, alone or beside good ones
                bad(1, "bad_domain.test", "domains:add", "steady", "bad_domain.test"),
                bad(1, "-lead.example.test", "domains:add", "steady", "-lead.example.test"),
                bad(1, "a..b.test", "domains:add", "steady", "a..b.test"),
                bad(1, null, "domains:add", "steady", longLabel),
                bad(1, null, "domains:add", "steady", tooLong),
                bad(1, "bad_domain.test", "domains:set", "steady", "good.example.test", "bad_domain.test"),
                bad(1, "bad_domain.test", "domains:add", "steady", "good.example.test", "bad_domain.test"),
                bad(1, "bad_domain.test", "config:set", "steady", "DOMAINS=good.example.test bad_domain.test"),
                bad(1, "not-there.example.test", "domains:remove", "steady", "steady.example.test", "not-there.example.test"),
                // a domain that is taken
                bad(1, "holder", "domains:add", "steady", "held.example.test"),
                bad(1, "holder", "domains:add", "steady", "good.example.test", "held.example.test"),
                bad(1, "holder", "domains:set", "steady", "held.example.test"),
                bad(1, "holder", "config:set", "steady", "GOOD=1", "DOMAINS=held.example.test"),
                bad(1, "holder", "domains:add", "steady", "holder.test.octohost"),
                // a negative or non-numeric scale (or over --max-containers)
                bad(1, "-1", "ps:scale", "steady", "-1"),
                bad(1, "two", "ps:scale", "steady", "two"),
                bad(1, "1.5", "ps:scale", "steady", "1.5"),
                bad(1, null, "ps:scale", "steady", ""),
                bad(1, "33", "ps:scale", "steady", "33"),
                bad(1, "-1", "config:set", "steady", "CONTAINERS=-1"),
                bad(1, "many", "config:set", "steady", "GOOD=1", "CONTAINERS=many"),
                // a malformed public key (and other bad keys:add input)
                badStdin(1, null, "not a key\n", "keys:add", "broken"),
                badStdin(1, null, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB\n", "keys:add", "broken"),
                badStdin(1, null, "ssh-ed25519 !!!notbase64!!! x@y\n", "keys:add", "broken"),
                badStdin(1, null, "", "keys:add", "broken"),
                badStdin(1, null, new String(Files.readAllBytes(spare.privateKey()), StandardCharsets.UTF_8), "keys:add", "broken"),
                badStdin(1, "bad name", pub, "keys:add", "bad name"),
                badStdin(1, "root", pub, "keys:add", "spare", "--role", "root"),
                badStdin(1, "e2e-admin", pub, "keys:add", "e2e-admin"),
                badStdin(1, "e2e-admin", new String(Files.readAllBytes(o.adminKey().publicKey()), StandardCharsets.UTF_8),
                        "keys:add", "again"),
                bad(1, "nosuchkey", "keys:remove", "nosuchkey"),
                // apps:destroy with a wrong confirmation
                bad(1, null, "apps:destroy", "steady", "--confirm", "holder"),
                // a missing argument, an unknown command: usage, exit 2
                bad(2, null, "config:set", "steady"),
                bad(2, null, "config:set"),
                bad(2, null, "config:get", "steady"),
                bad(2, null, "config:unset", "steady"),
                bad(2, null, "config"),
                bad(2, null, "ps:scale", "steady"),
                bad(2, null, "domains:add", "steady"),
                bad(2, null, "domains:set", "steady"),
                bad(2, null, "domains:remove", "steady"),
                bad(2, null, "apps:info"),
                bad(2, null, "apps:destroy", "steady"),
                bad(2, null, "keys:add"),
                bad(2, null, "keys:remove"),
                bad(2, null, "logs"),
                bad(2, "nosuchcommand", "nosuchcommand", "steady"),
                bad(2, null));
        List<String> problems = new ArrayList<>();
        for (BadInput b : bad) {
            Cli.Run r = Cli.octo(o, b.stdin() == null ? null : b.stdin().getBytes(StandardCharsets.UTF_8), b.args());
            try {
                assertRejected(before, b.exit(), b.mention(), r);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
                before = snapshot(); // judge the next one on its own
            }
        }
        // the same checks over ssh, for a few (the command line is split there)
        for (String[] sshBad : List.of(
                new String[] {"1", "BAD-KEY", "config:set steady 'GOOD=1' 'BAD-KEY=2'"},
                new String[] {"1", "holder", "domains:add steady held.example.test"},
                new String[] {"1", "nosuch", "config:set nosuch K=V"},
                new String[] {"1", "-1", "ps:scale steady -1"},
                new String[] {"2", null, "ps:scale steady"},
                new String[] {"2", null, "nosuchcommand"})) {
            Cli.Run r = Cli.ssh(o, o.adminKey(), sshBad[2]);
            try {
                assertRejected(before, Integer.parseInt(sshBad[0]), sshBad[1], r);
            } catch (AssertionError e) {
                problems.add("over ssh: " + e.getMessage());
                before = snapshot();
            }
        }
        Cli.Run unbalanced = Cli.ssh(o, o.adminKey(), "config:set steady 'GOOD=1");
        try {
            assertNotEquals(0, unbalanced.exit(), unbalanced::describe);
            assertOneLineError(unbalanced);
            assertEquals(before, snapshot(), "an unbalanced quote over ssh changed something\n" + unbalanced.describe());
        } catch (AssertionError e) {
            problems.add("over ssh: " + e.getMessage());
        }
        // GOOD, given beside bad input many times, was never set
        assertEquals(1, Cli.octo(o, "config:get", "steady", "GOOD").exit(), "GOOD must not have been set");
        // control: the snapshot does see a change that a good command makes, to the state and the routes
        Cli.octo(o, "domains:add", "steady", "control.example.test").orFail();
        Snapshot changed = snapshot();
        assertNotEquals(before.state(), changed.state(), "a good domains:add should change the state");
        assertNotEquals(before.routes(), changed.routes(), "a good domains:add should change the routes");
        if (!problems.isEmpty()) {
            fail(problems.size() + " bad input(s) not handled as the issue says:\n\n" + String.join("\n\n", problems));
        }
    }

    // ================================================================ acceptance 7: kill -9, --json

    @Test
    void everyKeyReportedSetSurvivesKillDashNineAndJsonOutputParses() throws Exception {
        Octohost o = octohost();
        String page = deploy("durable");
        String nasty = "q\"uote \\ back\nline\ttab ünï 🐙 \u0001 = 'x'";

        // a series of config:set --no-restart calls, through the octo jar and over ssh at once
        record Outcome(String key, String value, int exit, String describe) {
        }
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread viaOcto = new Thread(() -> {
            for (int i = 0; !stop.get() && i < 400; i++) {
                String key = "OCTO_" + i;
                String value = "v" + i + " " + nasty;
                Cli.Run r = Cli.octo(o, "config:set", "durable", key + "=" + value, "--no-restart");
                outcomes.add(new Outcome(key, value, r.exit(), r.describe()));
            }
        }, "config-set-octo");
        Thread viaSsh = new Thread(() -> {
            for (int i = 0; !stop.get() && i < 400; i++) {
                String key = "SSH_" + i;
                String value = "s" + i + " = \"x\" ünï";
                Cli.Run r = Cli.ssh(o, o.adminKey(), "config:set durable '" + key + "=" + value + "' --no-restart");
                outcomes.add(new Outcome(key, value, r.exit(), r.describe()));
            }
        }, "config-set-ssh");
        java.util.function.ToLongFunction<java.util.function.Predicate<Outcome>> count = which -> {
            synchronized (outcomes) {
                return outcomes.stream().filter(which).count();
            }
        };
        viaOcto.start();
        viaSsh.start();
        long okAtKill;
        boolean killed = false;
        try {
            Await.until("12 config:set calls exit 0", Duration.ofSeconds(60), () -> count.applyAsLong(x -> x.exit() == 0), n -> n >= 12);
            o.kill9();
            killed = true;
            okAtKill = count.applyAsLong(x -> x.exit() == 0);
            // the calls go on against a dead octod, and fail
            Await.until("a config:set call fails against the dead octod", Duration.ofSeconds(60),
                    () -> count.applyAsLong(x -> x.exit() != 0), n -> n > 0);
        } finally {
            stop.set(true);
            viaOcto.join(120_000);
            viaSsh.join(120_000);
            if (killed) o.restartOctod();
        }
        System.out.println("kill -9 scenario: " + okAtKill + " config:set calls had exited 0 at the kill, "
                + outcomes.stream().filter(x -> x.exit() == 0).count() + " in all; " + outcomes.stream().filter(x -> x.exit() != 0).count()
                + " failed (exit codes " + outcomes.stream().filter(x -> x.exit() != 0).map(Outcome::exit).collect(java.util.stream.Collectors.toCollection(TreeSet::new)) + ")");

        // every key a command reported as set is there, byte-exact
        JsonNode config = Cli.octo(o, "config", "durable", "--json").orFail().json();
        List<Outcome> all = List.copyOf(outcomes);
        List<Outcome> reported = all.stream().filter(x -> x.exit() == 0).toList();
        assertTrue(reported.size() >= okAtKill && okAtKill >= 12);
        assertTrue(all.stream().anyMatch(x -> x.exit() != 0), "some calls should have failed after the kill");
        for (Outcome x : reported) {
            assertEquals(x.value(), config.path(x.key()).asText(null), () -> x.key() + " was reported set:\n" + x.describe());
        }
        // a call that failed may or may not have been stored, but never torn
        for (Outcome x : all) {
            if (x.exit() != 0 && config.has(x.key())) {
                assertEquals(x.value(), config.get(x.key()).asText(), () -> "a torn value of " + x.key());
            }
            if (x.exit() != 0) {
                assertTrue(x.describe().contains("error") || x.exit() == 255 || x.exit() == 1 || x.exit() == 2,
                        () -> "a failed call should say so: " + x.describe());
            }
        }

        // octod works on after the restart: the app serves, a change applies, a failed call can be retried
        assertEquals(page, o.get("durable").bodyText());
        Cli.octo(o, "config:set", "durable", "AFTER=restart").orFail();
        assertEquals("restart", Cli.env(envOf("durable")).get("AFTER"));
        Http.Response env = envOf("durable");
        for (Outcome x : reported.subList(0, 3)) {
            assertTrue(Cli.hasEntry(env, x.key(), x.value()), () -> x.key() + " should reach the env at the restart");
        }

        // --json output of every listing parses, and carries what it should
        Cli.octo(o, "config:set", "durable", "NASTY=" + nasty, "--no-restart").orFail();
        JsonNode json = Cli.octo(o, "config", "durable", "--json").orFail().json();
        assertEquals(nasty, json.path("NASTY").asText(null), "config --json keeps the value byte-exact");
        assertEquals("restart", json.path("AFTER").asText(null));
        JsonNode apps = Cli.octo(o, "apps:list", "--json").orFail().json();
        assertTrue(Json.elements(apps).stream().anyMatch(a -> "durable".equals(a.path("name").asText())), () -> "apps:list --json: " + apps);
        JsonNode info = Cli.octo(o, "apps:info", "durable", "--json").orFail().json();
        assertEquals("durable", info.path("name").asText(null));
        assertTrue(Json.elements(info.path("containers")).stream().anyMatch(c -> "running".equals(c.path("state").asText())
                && o.containers("durable").stream().anyMatch(id -> id.startsWith(c.path("id").asText("-")))), () -> "apps:info --json: " + info);
        assertTrue(Json.strings(info.path("domains")).contains("durable.test.octohost"), () -> "apps:info --json: " + info);
        JsonNode ps = Cli.octo(o, "ps", "durable", "--json").orFail().json();
        assertEquals("durable", ps.path("name").asText(null), "ps is apps:info");
        assertEquals(List.of("durable.test.octohost"), Json.strings(Cli.octo(o, "domains", "durable", "--json").orFail().json()));
        JsonNode releases = Cli.octo(o, "releases", "durable", "--json").orFail().json();
        assertFalse(Json.elements(releases).isEmpty(), "releases --json lists the releases of durable");
        releases.forEach(r -> assertTrue(r.isObject(), () -> "a release is an object: " + r));
        JsonNode keys = Cli.octo(o, "keys:list", "--json").orFail().json();
        assertTrue(Json.elements(keys).stream().anyMatch(k -> "e2e-admin".equals(k.path("name").asText()) && "admin".equals(k.path("role").asText())
                && k.path("fingerprint").asText().startsWith("SHA256:")), () -> "keys:list --json: " + keys);
    }

    // ================================================================ helpers: apps

    /** A work tree of the env test app: busybox httpd, a unique index page, and the env CGI (executable). */
    AppRepo envApp(String name) {
        AppRepo repo = octohost().app(name);
        repo.write("Dockerfile", ENV_APP_DOCKERFILE)
                .write("www/index.html", Content.unique(name))
                .write("www/cgi-bin/env", ENV_CGI);
        try {
            Files.setPosixFilePermissions(repo.dir().resolve("www/cgi-bin/env"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repo;
    }

    /** Pushes the env test app as APP and checks it is served; returns its page. */
    String deploy(String name) {
        String page = Content.unique(name);
        envApp(name).write("www/index.html", page).deploy("master", page);
        return page;
    }

    Http.Response envOf(String app) {
        Http.Response r = octohost().get(app, "/cgi-bin/env");
        assertEquals(200, r.status(), () -> "GET /cgi-bin/env of " + app + ": " + r);
        return r;
    }

    List<String> appNames() {
        return Json.elements(Cli.octo(octohost(), "apps:list", "--json").orFail().json()).stream()
                .map(a -> a.path("name").asText()).toList();
    }

    // ================================================================ helpers: containers and routes

    static String inspect(String container, String format) {
        return Proc.of("docker", "inspect", "-f", format, container).run().orFail().trimmed();
    }

    static int hostPort(String container) {
        String ports = inspect(container, "{{range $p, $c := .NetworkSettings.Ports}}{{range $c}}{{.HostPort}} {{end}}{{end}}");
        return Integer.parseInt(ports.split("\\s+")[0]);
    }

    List<String> running(String app) {
        return octohost().containers(app).stream().filter(id -> {
            Proc.Result r = Proc.of("docker", "inspect", "-f", "{{.State.Status}}", id).run();
            return r.ok() && r.trimmed().equals("running");
        }).toList();
    }

    List<String> awaitRunning(String app, int count) {
        return Await.until(count + " running container(s) of " + app, Duration.ofSeconds(30), () -> running(app), ids -> ids.size() == count);
    }

    /** The ports of the app's upstream in the rendered nginx file. */
    List<Integer> upstreamPorts(String app) {
        Matcher m = Pattern.compile("upstream octohost_" + Pattern.quote(app) + " \\{(.*?)\\}", Pattern.DOTALL).matcher(octohost().routes());
        List<Integer> ports = new ArrayList<>();
        if (!m.find()) return ports;
        Matcher s = Pattern.compile("server 127\\.0\\.0\\.1:(\\d+);").matcher(m.group(1));
        while (s.find()) ports.add(Integer.parseInt(s.group(1)));
        return ports;
    }

    /**
     * N containers behind the app's upstream, right when the command returned: N servers in the
     * rendered upstream, N different containers answering through nginx (nginx has one worker, so
     * round-robin visits each), and once the replaced ones drained, exactly those N running.
     */
    void assertScaled(String app, int n, String page) {
        Octohost o = octohost();
        List<Integer> upstream = upstreamPorts(app);
        assertEquals(n, new TreeSet<>(upstream).size(), () -> "servers in upstream octohost_" + app + "\n" + o.routes());
        Set<String> hostnames = new TreeSet<>();
        for (int i = 0; i < 2 * n; i++) {
            Map<String, String> env = Cli.env(envOf(app));
            assertFalse(env.containsKey("CONTAINERS"), () -> "CONTAINERS in the env: " + env);
            hostnames.add(env.get("HOSTNAME"));
        }
        assertEquals(n, hostnames.size(), () -> "containers answering through nginx: " + hostnames);
        assertEquals(page, o.get(app).bodyText());
        List<String> ids = awaitRunning(app, n);
        o.awaitContainers(app, n);
        Set<Integer> ports = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (String id : ids) {
            ports.add(hostPort(id));
            names.add(inspect(id, "{{.Config.Hostname}}"));
        }
        assertEquals(ports, new TreeSet<>(upstreamPorts(app)), "the upstream lists exactly the running containers");
        assertEquals(names, hostnames, "the containers that answered are the running ones");
        JsonNode info = Cli.octo(o, "apps:info", app, "--json").orFail().json();
        assertEquals(n, Json.elements(info.path("containers")).size(), () -> "apps:info --json: " + info);
    }

    /** This octod's containers, a line each: app, release, id, state, name, ports; sorted. */
    String containerListing() {
        return Proc.of("docker", "ps", "-a", "--no-trunc", "--filter", "label=octohost.instance=" + octohost().instanceId(),
                "--format", "{{.Label \"octohost.app\"}} {{.Label \"octohost.release\"}} {{.ID}} {{.State}} {{.Names}} {{.Ports}}")
                .run().orFail().output().lines().sorted().reduce("", (a, b) -> a + b + "\n");
    }

    /** Each app's containers are of one release: the ones replaced (by this scenario or an earlier one) have drained and gone. */
    static boolean drained(String listing) {
        Map<String, Set<String>> releases = new java.util.HashMap<>();
        listing.lines().map(l -> l.split(" ")).forEach(f -> releases.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[1]));
        return releases.values().stream().allMatch(r -> r.size() == 1);
    }

    // ================================================================ helpers: state and bad input

    /** Everything a bad command must leave alone: the whole state store, the routes, the containers. */
    record Snapshot(String state, String routes, String containers) {
    }

    /** Taken once nothing drains, so that only a command can change it. */
    Snapshot snapshot() {
        String containers = Await.until("no container of this octod is draining", Duration.ofSeconds(40), this::containerListing,
                CliScenarios::drained);
        // over ssh: as exact as the octo jar (the same command), and quicker than starting a JVM
        Cli.Run export = Cli.ssh(octohost(), octohost().adminKey(), "state:export").orFail();
        return new Snapshot(export.stdout(), octohost().routes(), containers);
    }

    /** Lines of state:export (base64 values decoded) that match. */
    List<String> stateLines(java.util.function.Predicate<String> filter) {
        List<String> out = new ArrayList<>();
        for (String line : Cli.octo(octohost(), "state:export").orFail().stdout().lines().toList()) {
            if (!line.startsWith("{\"key\"")) continue;
            JsonNode entry = Json.parse(line);
            String value = new String(java.util.Base64.getDecoder().decode(entry.path("value").asText()), StandardCharsets.UTF_8);
            String text = entry.path("key").asText() + "=" + value;
            if (filter.test(text)) out.add(text);
        }
        return out;
    }

    record BadInput(int exit, String mention, String stdin, String[] args) {
    }

    static BadInput bad(int exit, String mention, String... args) {
        return new BadInput(exit, mention, null, args);
    }

    static BadInput badStdin(int exit, String mention, String stdin, String... args) {
        return new BadInput(exit, mention, stdin, args);
    }

    /** One-line error on stderr, the exit code, nothing on stdout, and no change to state, routes or containers. */
    void assertRejected(Snapshot before, int exit, String mention, Cli.Run r) {
        assertEquals(exit, r.exit(), () -> "exit code\n" + r.describe());
        assertOneLineError(r);
        if (mention != null) {
            String first = r.stderr().lines().findFirst().orElse("");
            assertTrue(first.contains(mention), () -> "the error should mention '" + mention + "'\n" + r.describe());
        }
        assertEquals("", r.stdout(), () -> "a rejected command should print nothing on stdout\n" + r.describe());
        Snapshot after = snapshot();
        assertEquals(before.state(), after.state(), () -> "the state changed\n" + r.describe());
        assertEquals(before.routes(), after.routes(), () -> "the routes changed\n" + r.describe());
        assertEquals(before.containers(), after.containers(), () -> "the containers changed\n" + r.describe());
    }

    /**
     * stderr is one line starting with "error: " (a usage error may add picocli's one-line hint
     * "see 'octo CMD --help'"), and no stack trace.
     */
    static void assertOneLineError(Cli.Run r) {
        List<String> lines = r.stderr().lines().toList();
        assertFalse(lines.isEmpty(), () -> "no error message\n" + r.describe());
        assertTrue(lines.get(0).startsWith("error: "), () -> "the error should start with 'error: '\n" + r.describe());
        if (lines.size() == 2) {
            assertEquals(2, r.exit(), () -> "only a usage error may add a hint line\n" + r.describe());
            assertTrue(lines.get(1).startsWith("see 'octo"), () -> "the second line should be the --help hint\n" + r.describe());
        } else {
            assertEquals(1, lines.size(), () -> "the error should be one line\n" + r.describe());
        }
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), () -> "a stack trace\n" + r.describe());
    }
}
