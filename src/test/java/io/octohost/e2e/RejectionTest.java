package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3, acceptance 6: bad pushes are rejected with clear messages and create nothing
 * under the data dir; a shell, other commands and port forwarding are refused.
 */
@Tag("docker")
class RejectionTest {
    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void aPushWithoutADockerfileIsRejected() {
        // given a repo with no Dockerfile at its root
        AppRepo app = octohost.app("nodockerfile");
        app.write("README", "no Dockerfile here\n").write("sub/Dockerfile", "FROM octohost/busybox:latest\n");
        String sha = app.commit("no Dockerfile");
        Set<String> before = octohost.dataDirListing();

        // when it is pushed
        PushResult push = app.push("master");

        // then it is rejected, saying why, and nothing was created
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("no Dockerfile at the root of " + sha.substring(0, 7)),
                () -> "expected 'no Dockerfile at the root of " + sha.substring(0, 7) + "...'\n" + push.describe());
        assertNothingCreated(before);
        assertEquals(List.of(), octohost.containers("nodockerfile"));
    }

    @Test
    void aPushByAnUnknownKeyIsRefused() {
        // given a key octod does not know
        SshKey stranger = octohost.newKey("stranger");
        AppRepo app = octohost.app("strangers").as(stranger);
        app.staticSite(Content.unique("stranger")).commit("v1");
        Set<String> before = octohost.dataDirListing();

        // when it pushes
        PushResult push = app.push("master");

        // then ssh authentication fails and nothing was created
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("Permission denied"), push::describe);
        assertNothingCreated(before);
        assertEquals(List.of(), octohost.containers("strangers"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad_Name", "../x", "a/b", "Bad_Name.git",
            "a234567890123456789012345678901234567890123456789012345678901234"}) // 64 characters
    void aPushToAnInvalidAppNameIsRejected(String remotePath) {
        // given a valid app pushed to an invalid repo path
        AppRepo app = octohost.app(remotePath);
        app.staticSite(Content.unique("invalid")).commit("v1");
        Set<String> before = octohost.dataDirListing();

        // when it is pushed
        PushResult push = app.push("master");

        // then it is rejected as an invalid app name and nothing was created
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("invalid app name"), push::describe);
        assertNothingCreated(before);
    }

    @Test
    void aSecondRepoCannotClaimTheNameOfABranchApp() {
        // given repo shop's branch web deployed as app shop-web
        AppRepo shop = octohost.app("shop");
        shop.staticSite(Content.unique("shop master")).commit("master");
        String web = Content.unique("shop branch web");
        shop.branch("web").staticSite(web).deploy("web", web);
        String owner = octohost.onlyContainer("shop-web");
        Set<String> before = octohost.dataDirListing();

        // when repo shop-web pushes master (which would also be app shop-web)
        AppRepo shopWeb = octohost.app("shop-web");
        shopWeb.staticSite(Content.unique("usurper")).commit("v1");
        PushResult claim = shopWeb.push("master");

        // then it is rejected with a message naming the owner, repo shop (not just shop-web)
        assertNotEquals(0, claim.exitCode(), claim::describe);
        assertTrue(Pattern.compile("(?<![A-Za-z0-9_-])shop(?![A-Za-z0-9_-])").matcher(claim.output()).find(),
                () -> "the message should name the owner, repo 'shop'\n" + claim.describe());
        assertNothingCreated(before);
        // and the owner keeps serving
        assertEquals(web, octohost.get("shop-web").bodyText());
        assertEquals(owner, octohost.onlyContainer("shop-web"));
    }

    @Test
    void twoBranchesOfOneRepoCannotClaimOneName() {
        // given branch feature/x_Y of repo site deployed as site-feature-x-y
        AppRepo site = octohost.app("site");
        String first = Content.unique("site feature/x_Y");
        site.branch("feature/x_Y").staticSite(first).deploy("feature/x_Y", first);
        assertEquals(first, octohost.get("site-feature-x-y").bodyText());

        // when branch feature-x-y (the same app name) is pushed
        site.branch("feature-x-y").staticSite(Content.unique("site feature-x-y")).commit("x-y");
        PushResult claim = site.push("feature-x-y");

        // then it is rejected, naming the owner branch, and the ref is not created
        assertNotEquals(0, claim.exitCode(), claim::describe);
        assertTrue(claim.output().contains("feature/x_Y"), () -> "the message should name the owner branch\n" + claim.describe());
        assertFalse(site.remoteRefs().containsKey("refs/heads/feature-x-y"), "the rejected ref must not exist");
        assertEquals(first, octohost.get("site-feature-x-y").bodyText());
    }

    @Test
    void aShellAndOtherCommandsAreRefused() {
        // given a deployed app, so that its repo exists
        AppRepo app = octohost.deployed("readonly", Content.unique("readonly"));
        String sha = app.head();
        assertEquals(sha, app.remoteRefs().get("refs/heads/master"), "ls-remote through git-receive-pack should work");
        Set<String> before = octohost.dataDirListing();
        SshKey key = octohost.adminKey();

        // a shell, without and with a PTY
        assertRefused(octohost.ssh(key, SSH_TIMEOUT, "git@127.0.0.1"));
        assertRefused(octohost.ssh(key, SSH_TIMEOUT, "-tt", "git@127.0.0.1"));
        // other commands
        assertRefused(octohost.ssh(key, SSH_TIMEOUT, "git@127.0.0.1", "ls"));
        assertRefused(octohost.ssh(key, SSH_TIMEOUT, "git@127.0.0.1", "sh -c id"));
        assertRefused(octohost.ssh(key, SSH_TIMEOUT, "git@127.0.0.1", "git-receive-pack '/readonly'; id"));
        // reading (git-upload-pack): fetch/clone is not offered
        assertRefused(octohost.ssh(key, SSH_TIMEOUT, "git@127.0.0.1", "git-upload-pack '/readonly'"));
        Proc.Result clone = app.git("ls-remote", app.url());
        assertNotEquals(0, clone.exitCode(), clone::describe);
        // sftp and scp
        assertRefused(octohost.ssh(key, SSH_TIMEOUT, "-s", "git@127.0.0.1", "sftp"));
        assertRefused(octohost.ssh(key, SSH_TIMEOUT, "git@127.0.0.1", "scp -t /tmp"));

        assertNothingCreated(before);
    }

    @Test
    void remotePortForwardingIsRefused() {
        // -R asks the server to listen at once; ExitOnForwardFailure turns a refusal into an exit
        Proc.Result r = octohost.ssh(octohost.adminKey(), SSH_TIMEOUT,
                "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:22", "git@127.0.0.1");
        assertFalse(r.timedOut(), () -> "ssh -R kept running: the forwarding was accepted\n" + r.describe());
        assertNotEquals(0, r.exitCode(), r::describe);
        assertTrue(r.output().contains("forwarding failed"), r::describe);
    }

    @Test
    void localPortForwardingIsRefused() throws Exception {
        // ssh -L listens locally and asks the server for a channel only when a connection arrives:
        // connect through it to octod's own ssh port, which would greet us with "SSH-2.0-" if forwarded.
        int local = Octohost.freePort();
        ProcessBuilder pb = Proc.of(octohost.sshCommand(octohost.adminKey(),
                "-N", "-o", "ExitOnForwardFailure=yes",
                "-L", "127.0.0.1:" + local + ":127.0.0.1:" + octohost.sshPort(), "git@127.0.0.1")).builder();
        Process ssh = pb.start();
        try {
            Socket s = connectWithin(local, Duration.ofSeconds(15), ssh);
            if (s == null) {
                // ssh ended before forwarding anything: the server refused the session
                assertNotEquals(0, ssh.exitValue(), "ssh -L ended with exit 0");
                return;
            }
            try (s) {
                s.setSoTimeout(5000);
                String greeting = readSome(s.getInputStream());
                assertFalse(greeting.startsWith("SSH-"), "the tunnel reached octod's ssh port: " + greeting);
            }
        } finally {
            Proc.destroyTree(ssh);
            ssh.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void assertRefused(Proc.Result r) {
        assertFalse(r.timedOut(), () -> "not refused: still running after " + SSH_TIMEOUT + "\n" + r.describe());
        assertNotEquals(0, r.exitCode(), () -> "not refused:\n" + r.describe());
    }

    private static void assertNothingCreated(Set<String> before) {
        Set<String> created = new TreeSet<>(octohost.dataDirListing());
        created.removeAll(before);
        assertEquals(Set.of(), created, "nothing may be created under the data dir " + octohost.dataDir());
    }

    /** A connection to ssh -L's port once it listens, or null if ssh ended first. */
    private static Socket connectWithin(int port, Duration timeout, Process ssh) {
        return Await.until("ssh -L listens on port " + port + " or exits", timeout, () -> {
            if (!ssh.isAlive()) return Optional.<Socket>empty();
            try {
                return Optional.of(new Socket(InetAddress.getLoopbackAddress(), port)); // closed again when refused
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, s -> true).orElse(null);
    }

    private static String readSome(InputStream in) throws IOException {
        byte[] buf = new byte[64];
        try {
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            return "";
        } catch (IOException e) {
            return ""; // reset by ssh: refused
        }
    }
}
