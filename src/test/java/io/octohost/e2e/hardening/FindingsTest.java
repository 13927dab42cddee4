package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Secrets;
import io.octohost.e2e.SshKey;
import io.octohost.e2e.cli.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, acceptance 1: each finding of the hostile review, as it was reproduced, now refused. (Finding
 * 2, the roles, is {@code RolesTest}'s.) Against the octod of main before the issue these fail; run them
 * there with -Doctohost.octod.jar=... -Doctohost.octo.jar=....
 */
@Tag("docker")
class FindingsTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder().readyTimeout(10).build();
    private static final String SHOP_PAGE = Content.unique("shop");

    @BeforeAll
    static void aRunningApp() {
        octohost.deployed("shop", SHOP_PAGE);
    }

    @Test
    void finding1_anAppNamedLikeTheBaseImageNeitherReplacesNorDeletesIt() {
        String base = Docker.imageId(Octohost.BASE_IMAGE);
        octohost.deployed("busybox", Content.unique("busybox"));
        assertEquals(base, Docker.imageId(Octohost.BASE_IMAGE), "the push of app busybox replaced the base image");
        Cli.octo(octohost, "apps:destroy", "busybox", "--confirm", "busybox").orFail();
        assertEquals(base, Docker.imageId(Octohost.BASE_IMAGE), "destroying app busybox deleted the base image");
        octohost.deployed("after-busybox", Content.unique("built from the base image"));
    }

    @Test
    void finding3_anAppsDefaultNameCannotBeTakenBeforeItIsPushed() {
        Cli.Run squat = Cli.octo(octohost, "domains:add", "shop", "later.test.octohost");
        assertNotEquals(0, squat.exit(), squat::describe);
        assertTrue(squat.stderr().contains("domain later.test.octohost is the default name of app later"), squat::describe);
        String page = Content.unique("later");
        octohost.deployed("later", page);
        assertEquals(page, octohost.get("later").bodyText(), "app later must serve its own default name");
        assertFalse(octohost.routes().contains("later.test.octohost") && octohost.routes().indexOf("later.test.octohost")
                != octohost.routes().lastIndexOf("later.test.octohost"), "one server name, once:\n" + octohost.routes());
        for (String domain : List.of("localhost", "127.0.0.1", "*.com", "octohost-probe.invalid")) {
            Cli.Run run = Cli.octo(octohost, "domains:add", "shop", domain);
            assertNotEquals(0, run.exit(), run::describe);
            assertTrue(run.stderr().contains("domain " + domain + " "), run::describe);
        }
        assertEquals("[\"shop.test.octohost\"]", Cli.octo(octohost, "domains", "shop", "--json").orFail().stdout().strip());
    }

    @Test
    void finding4_stateImportChecksEveryRecordAndRefusesTheWholeInput() {
        String before = Cli.octo(octohost, "state:export").orFail().stdout();
        String header = "{\"octohost-state\":1}\n";
        String garbageRelease = line("octod/releases/shop/v00000099", "number=x\n");
        String movedOwner = line("octod/apps/shop", "intruder\nmaster");
        String good = line("octohost/shop/FINE", "fine");
        for (String bad : List.of(garbageRelease, movedOwner, line("octohost/shop/1BAD", "x"), line("octohost/shop/CONTAINERS", "-5"),
                line("octohost/shop/MEMORY_LIMIT", "lots"), line("octohost/shop/DOMAINS", "localhost"))) {
            Cli.Run run = Cli.octo(octohost, (header + good + bad).getBytes(StandardCharsets.UTF_8), "state:import");
            assertNotEquals(0, run.exit(), run::describe);
            assertTrue(run.stderr().startsWith("error: line 3: "), run::describe);
            assertEquals(before, Cli.octo(octohost, "state:export").orFail().stdout(), "one bad line must change nothing");
        }
        Cli.octo(octohost, "apps:list").orFail();
        Cli.octo(octohost, "config:set", "shop", "STILL=works").orFail();
        Cli.octo(octohost, "config:unset", "shop", "STILL").orFail();
    }

    private static String line(String key, String value) {
        return "{\"key\":\"" + key + "\",\"value\":\"" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\"}\n";
    }

    @Test
    void finding5a_theStateIsReadByOctodAloneThoughItWasStartedWithUmask022() throws IOException {
        Path data = octohost.dataDir();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("state"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("state/state.db"))));
    }

    @Test
    void finding5b_noArgumentReachesTheLogAndNoValueForgesALine() throws IOException {
        String secret = Secrets.planted("token");
        String forged = "00:00:00.000 ERROR Forged - " + java.util.UUID.randomUUID();
        // what made octod log the arguments of an internal error: a health check path with a space
        Cli.Run run = Cli.octo(octohost, "config:set", "shop", "API_TOKEN=" + secret, "NOTE=x\n" + forged, "HEALTHCHECK_PATH=/a b");
        assertNotEquals(0, run.exit(), run::describe);
        String log = Files.readString(octohost.octodLog());
        assertFalse(log.contains(secret), "the log holds the secret");
        assertFalse(log.lines().anyMatch(l -> l.startsWith(forged)), "a value forged a log line");
    }

    @Test
    void finding6a_aContainerThatDiesAtOnceSaysSoWithItsExitCodeAndLastOutput() throws IOException {
        AppRepo app = octohost.deployed("dies", Content.unique("dies v1"));
        // something listens on the loopback at the port the image exposes, as the host's nginx did on port 80:
        // a readiness probe of any address but the container's own would take it for the app
        try (java.net.ServerSocket decoy = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = decoy.getLocalPort();
            for (String cmd : List.of("[\"false\"]", "[\"sh\", \"-c\", \"echo dying now; exit 3\"]")) {
                app.dockerfile("FROM octohost/busybox:latest", "EXPOSE " + port, "CMD " + cmd).commit("dies: " + cmd);
                PushResult dead = app.push("master");
                assertNotEquals(0, dead.exitCode(), dead::describe);
                assertTrue(dead.output().contains("exited with code " + (cmd.contains("false") ? 1 : 3)), dead::describe);
                assertTrue(cmd.contains("false") || dead.output().contains("its last output: dying now"), dead::describe);
                assertFalse(dead.output().contains("nginx"), dead::describe);
            }
        }
    }

    @Test
    void finding6b_anUnparseableDockerfileAndABadHealthCheckPathAreUserErrors() throws IOException {
        AppRepo app = octohost.deployed("unparsed", Content.unique("unparsed v1"));
        app.dockerfile("FORM octohost/busybox:latest").commit("unparseable");
        PushResult unparseable = app.push("master");
        assertTrue(unparseable.output().contains("docker build failed: dockerfile parse error"), unparseable::describe);

        Cli.Run path = Cli.octo(octohost, "config:set", "unparsed", "HEALTHCHECK_PATH=/a b");
        assertTrue(path.stderr().contains("invalid HEALTHCHECK_PATH '/a b'"), path::describe);
        assertFalse(Files.readString(octohost.octodLog()).contains("\tat io.octohost"), "a user error left a stack trace in the log");
    }

    @Test
    void finding6c_treesWithEntriesNamedDotDotOrDotGitAreRefusedAsSuch() throws IOException {
        AppRepo app = octohost.deployed("trees", Content.unique("trees v1"));
        for (String name : List.of("..", ".git")) {
            app.staticSite(Content.unique("trees v2")).commit("good again");
            Trees.commitWithEntry(app, name);
            PushResult tree = app.push("master");
            assertNotEquals(0, tree.exitCode(), tree::describe);
            assertTrue(tree.output().contains("an object of the push fails git's checks"), tree::describe);
            assertFalse(tree.output().contains("internal error"), tree::describe);
            app.git("reset", "-q", "--hard", "HEAD~1").orFail();
        }
        assertFalse(Files.readString(octohost.octodLog()).contains("\tat io.octohost"), "a user error left a stack trace in the log");
    }

    @Test
    void finding7a_keysAddRefusesOptionsItDoesNotEnforceDsaAndShortRsa() throws Exception {
        SshKey key = octohost.newKey("optioned");
        String pub = Files.readString(key.publicKey()).strip();
        for (String line : List.of("command=\"/bin/true\",no-pty " + pub, keyLine("dsa", null), keyLine("rsa", "1024"))) {
            Cli.Run add = Cli.octo(octohost, line.getBytes(StandardCharsets.UTF_8), "keys:add", "weak");
            assertNotEquals(0, add.exit(), add::describe);
        }
        assertFalse(Cli.octo(octohost, "keys:list").orFail().stdout().contains("weak"));
    }

    @Test
    void finding7b_configBytesThatAreNotUtf8AreRefusedNotReplaced() {
        Proc.Result viaSsh = Proc.of("bash", "-c", String.join(" ", octohost.sshCommand(octohost.adminKey(), "git@127.0.0.1"))
                + " \"$(printf 'config:set shop LATIN1=caf\\351')\"").timeout(Duration.ofSeconds(30)).run();
        assertTrue(viaSsh.output().contains("not valid UTF-8"), viaSsh::describe);
        Proc.Result viaOcto = Proc.of("bash", "-c", "java -jar " + octohost.octoJar() + " --api-socket " + octohost.apiSocket()
                + " config:set shop \"$(printf 'LATIN1=caf\\351')\"").timeout(Duration.ofSeconds(30)).run();
        assertTrue(viaOcto.output().contains("not valid UTF-8"), viaOcto::describe);
        assertFalse(Cli.octo(octohost, "config", "shop").orFail().stdout().contains("LATIN1"));
    }

    @Test
    void finding7c_aBranchNamedHeadIsRefused() {
        AppRepo repo = octohost.app("branchy");
        repo.staticSite(Content.unique("branchy")).commit("v1");
        PushResult head = repo.push("master:HEAD");
        assertNotEquals(0, head.exitCode(), head::describe);
        assertTrue(head.output().contains("branch 'HEAD'"), head::describe);
        assertTrue(Cli.octo(octohost, "apps:list").orFail().stdout().lines().noneMatch(l -> l.startsWith("branchy-head")));
    }

    @Test
    void finding7d_theRepoGoesWithItsLastBranch() {
        AppRepo repo = octohost.app("branchy2");
        repo.staticSite(Content.unique("branchy2")).commit("v1");
        assertTrue(repo.push("master:feature").ok());
        assertTrue(Files.isDirectory(octohost.dataDir().resolve("repos/branchy2.git")));
        PushResult delete = repo.deleteBranch("feature");
        assertEquals(0, delete.exitCode(), delete::describe);
        assertFalse(Files.exists(octohost.dataDir().resolve("repos/branchy2.git")), "the repo stayed behind its last branch");
    }

    @Test
    void finding7e_aNineByteFrameOnTheApiSocketAllocatesNothing() throws IOException {
        long rssBefore = rss(octohost.octodProcess().pid());
        try (SocketChannel api = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            api.connect(UnixDomainSocketAddress.of(octohost.apiSocket()));
            api.write(ByteBuffer.allocate(9).put((byte) 'A').putInt(4).putInt(0x10000000).flip());
            ByteBuffer answer = ByteBuffer.allocate(4096);
            while (api.read(answer) > 0) {
                // until octod answers and closes
            }
        }
        long grown = rss(octohost.octodProcess().pid()) - rssBefore;
        assertTrue(grown < 256L << 20, "octod grew by " + (grown >> 20) + " MiB on a 9-byte frame");
        Cli.octo(octohost, "apps:list").orFail();
    }

    private static String keyLine(String type, String bits) throws IOException {
        Path dir = Files.createTempDirectory("weak-key");
        Path file = dir.resolve("k");
        List<String> cmd = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-f", file.toString()));
        if (bits != null) {
            cmd.addAll(List.of("-b", bits));
        }
        Proc.of(cmd).run().orFail();
        return Files.readString(dir.resolve("k.pub")).strip();
    }

    private static long rss(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
    }
}
