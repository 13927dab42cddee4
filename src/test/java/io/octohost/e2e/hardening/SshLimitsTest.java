package io.octohost.e2e.hardening;

import io.octohost.e2e.Await;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.SshKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the SSH server's limits hold against the real OpenSSH client, each with a small setting
 * so the test is quick: keys offered per connection, time to authenticate, time without traffic,
 * sessions per connection, and connections per source and minute (last: it shuts this source out).
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshLimitsTest {
    private static final int CONNECTIONS_PER_MINUTE = 40;

    @RegisterExtension
    static final Octohost octohost = Octohost.builder().extraArgs("--ssh-max-auth-attempts", "3", "--ssh-handshake-timeout", "3",
            "--ssh-idle-timeout", "4", "--ssh-max-sessions", "2",
            "--ssh-max-connections-per-minute", Integer.toString(CONNECTIONS_PER_MINUTE)).build();

    @BeforeAll
    static void start() {
        Reliability.start(SshLimitsTest.class);
    }

    @AfterAll
    static void report() {
        Reliability.writeReport();
    }

    private static List<String> ssh(List<String> options, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "-p", Integer.toString(octohost.sshPort())));
        cmd.addAll(options);
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    @Order(1)
    void aClientMayOfferThreeKeysAConnection() {
        List<String> options = new ArrayList<>(List.of("-o", "IdentitiesOnly=yes"));
        for (int i = 0; i < 4; i++) {
            options.addAll(List.of("-i", octohost.newKey("stranger" + i).privateKey().toString()));
        }
        options.addAll(List.of("-i", octohost.adminKey().privateKey().toString()));
        Proc.Result fifth = Proc.of(ssh(options, "git@127.0.0.1", "apps:list")).timeout(Duration.ofSeconds(30)).run();
        assertNotEquals(0, fifth.exitCode(), fifth::describe);
        assertFalse(fifth.output().contains("error:"), "the admin key, fifth, must never have been tried:\n" + fifth.describe());
        Proc.Result first = Proc.of(ssh(List.of("-o", "IdentitiesOnly=yes", "-i", octohost.adminKey().privateKey().toString()),
                "git@127.0.0.1", "apps:list")).timeout(Duration.ofSeconds(30)).run();
        assertEquals(0, first.exitCode(), first::describe);
        Reliability.limit(SshLimitsTest.class, "keys offered on one SSH connection", "--ssh-max-auth-attempts 3 (default 6)",
                "4 unknown keys then the admin key: cut off before the fifth (" + lastLine(fifth.output()) + "); the admin key first: let in");
    }

    @Test
    @Order(2)
    void aConnectionThatNeverAuthenticatesIsClosed() throws Exception {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", octohost.sshPort()), 5000);
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the server's greeting, then nothing until it hangs up
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 2.5 && seconds < 15, "closed after " + seconds + " s");
        Reliability.limit(SshLimitsTest.class, "time to agree on keys and authenticate", "--ssh-handshake-timeout 3 (default 30)",
                String.format("a TCP connection that said nothing was closed after %.1f s", seconds));
    }

    @Test
    @Order(3)
    void aConnectionWithoutTrafficIsClosed() {
        long start = System.nanoTime();
        Proc.Result idle = Proc.of(ssh(sshKey(octohost.adminKey()), "-N", "git@127.0.0.1")).timeout(Duration.ofSeconds(30)).run();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertFalse(idle.timedOut(), idle::describe);
        assertTrue(seconds >= 3.5 && seconds < 20, "closed after " + seconds + " s:\n" + idle.describe());
        Reliability.limit(SshLimitsTest.class, "time without traffic on an SSH connection", "--ssh-idle-timeout 4 (default 600)",
                String.format("an authenticated ssh -N was closed after %.1f s", seconds));
    }

    @Test
    @Order(4)
    void aConnectionMayHaveTwoSessionsOpen() throws Exception {
        java.nio.file.Path control = java.nio.file.Files.createTempDirectory("ssh-mux").resolve("c");
        List<String> mux = new ArrayList<>(sshKey(octohost.adminKey()));
        mux.addAll(List.of("-o", "ControlPath=" + control, "-o", "ServerAliveInterval=1"));
        List<String> masterCmd = new ArrayList<>(mux);
        masterCmd.addAll(List.of("-o", "ControlMaster=yes"));
        Process master = Proc.of(ssh(masterCmd, "-N", "git@127.0.0.1")).builder().start();
        List<Process> sessions = new ArrayList<>();
        try {
            Await.until("the ssh control socket", Duration.ofSeconds(15), () -> java.nio.file.Files.exists(control));
            // git-receive-pack waits for the pusher's commands: each holds a session open
            for (int i = 0; i < 2; i++) {
                Process p = Proc.of(ssh(mux, "git@127.0.0.1", "git-receive-pack '/held" + i + "'")).builder()
                        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
                sessions.add(p);
            }
            Await.sleep(Duration.ofMillis(1500)); // sessions within the limit must NOT end
            sessions.forEach(p -> assertTrue(p.isAlive(), "a session within the limit ended"));
            Proc.Result third = Proc.of(ssh(mux, "git@127.0.0.1", "apps:list")).timeout(Duration.ofSeconds(20)).run();
            // OpenSSH shows no reason for a refused multiplexed session (and then connects anew, on its own)
            assertTrue(third.output().contains("session request failed: Session open refused by peer"), third::describe);
            sessions.forEach(p -> assertTrue(p.isAlive(), "the refusal of a third session ended the others"));
            assertTrue(master.isAlive(), "the refusal of a third session closed the connection");
            Reliability.limit(SshLimitsTest.class, "sessions open at once on one SSH connection", "--ssh-max-sessions 2 (default 4)",
                    "two git-receive-pack sessions held open through one multiplexed connection; a third was refused ("
                            + lastLine(third.output()) + ")");
        } finally {
            sessions.forEach(Process::destroyForcibly);
            master.destroyForcibly();
            master.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(5)
    void aSourceMayOpenFortyConnectionsAMinute() {
        int admitted = 0;
        Proc.Result refused = null;
        for (int i = 0; i < CONNECTIONS_PER_MINUTE + 5 && refused == null; i++) {
            Proc.Result r = Proc.of(ssh(sshKey(octohost.adminKey()), "git@127.0.0.1", "apps:list")).timeout(Duration.ofSeconds(20)).run();
            if (r.ok()) {
                admitted++;
            } else {
                refused = r;
            }
        }
        assertTrue(refused != null, "never refused");
        assertTrue(admitted <= CONNECTIONS_PER_MINUTE, "admitted " + admitted);
        List<String> other = new ArrayList<>(sshKey(octohost.adminKey()));
        other.addAll(List.of("-b", "127.0.0.2"));
        Proc.Result otherSource = Proc.of(ssh(other, "git@127.0.0.1", "apps:list")).timeout(Duration.ofSeconds(20)).run();
        assertEquals(0, otherSource.exitCode(), "another source address is not limited:\n" + otherSource.describe());
        Reliability.limit(SshLimitsTest.class, "SSH connections from one source address a minute",
                "--ssh-max-connections-per-minute " + CONNECTIONS_PER_MINUTE + " (default 600)",
                "127.0.0.1 got " + admitted + " more this minute, then was closed at once (" + lastLine(refused.output())
                        + "); 127.0.0.2 was let in meanwhile");
    }

    private static List<String> sshKey(SshKey key) {
        return List.of("-o", "IdentitiesOnly=yes", "-i", key.privateKey().toString());
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }
}
