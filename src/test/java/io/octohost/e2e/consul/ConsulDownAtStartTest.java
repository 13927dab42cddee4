package io.octohost.e2e.consul;

import io.octohost.e2e.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.Await;
import io.octohost.e2e.Nginx;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, "Consul down": octod started while its agent is down says so in one line, starts anyway
 * (SSH and the API socket answer; commands fail with "state store unavailable"), retries with backoff
 * and recovers by itself once the agent answers. The Octohost fixture adds a key at start, which needs
 * the store, so this scenario starts octod itself.
 */
@Tag("docker")
@Tag("consul")
class ConsulDownAtStartTest {
    @Test
    void octodStartsWithConsulDownSaysSoOnceAndRecoversWithoutARestart() throws Exception {
        Path base = Files.createTempDirectory("octohost-consul-down-");
        ConsulAgent consul = ConsulAgent.create(true); // ports chosen, not started
        Nginx nginx = Nginx.start(Files.createDirectories(base.resolve("nginx")));
        Path log = base.resolve("octod.log");
        Path socket = base.resolve("api.sock");
        int ssh = Octohost.freePort();
        Process octod = null;
        boolean ok = false;
        try {
            String root = System.getProperty("octohost.root");
            Path jar = Path.of(System.getProperty("octohost.octod.jar", Path.of(root).resolve("octod/target/octod.jar").toString()));
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString(), "--data-dir", base.resolve("data").toString(), "--ssh-listen", "127.0.0.1:" + ssh,
                    "--api-socket", socket.toString(),
                    "--http-api-listen", "127.0.0.1:" + Octohost.freePort(), "--domain", Octohost.DOMAIN, "--http-port", String.valueOf(Octohost.freePort()),
                    "--nginx-conf", nginx.includeFile().toString(), "--nginx-cmd", nginx.command()));
            cmd.addAll(List.of(consul.octodArgs()));
            octod = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Process p = octod;
            Await.until("octod ready", Duration.ofSeconds(60), () -> read(log), text -> text.contains("octod ready") || !p.isAlive());
            assertTrue(octod.isAlive(), () -> "octod exited:\n" + read(log));

            // one line says Consul is down
            List<String> down = lines(log, "state store unavailable");
            assertEquals(1, down.size(), () -> read(log));
            assertTrue(down.get(0).contains("cannot reach Consul at " + consul.url()) && down.get(0).contains("starts anyway"), down.get(0));

            // SSH listens, and the API answers with a clean error
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", ssh), 2000);
            }
            Proc.Result list = octo(socket, "apps:list");
            assertEquals(1, list.exitCode(), list::describe);
            assertTrue(list.trimmed().startsWith("error: state store unavailable: cannot reach Consul at " + consul.url()), list::describe);

            // retries do not fill the log: something that does not happen takes a while to show
            Await.sleep(Duration.ofSeconds(4));
            assertEquals(1, lines(log, "state store unavailable").size(), () -> read(log));

            // the agent comes up: octod recovers without a restart
            consul.start();
            Await.until("octo apps:list works", Duration.ofSeconds(15), () -> octo(socket, "apps:list"), Proc.Result::ok);
            Await.until("octod says Consul is back", Duration.ofSeconds(10), () -> lines(log, "answers again").size(), n -> n == 1);
            Await.until("octod restores the routes it could not at start", Duration.ofSeconds(10),
                    () -> read(log), text -> text.contains("the routes of what runs are restored"));
            assertTrue(octod.isAlive());
            ok = true;
        } finally {
            if (octod != null) {
                octod.destroy();
                if (!octod.waitFor(15, TimeUnit.SECONDS)) Proc.destroyTree(octod);
            }
            if (!ok) System.err.println("octod log " + log + ":\n" + read(log));
            nginx.close();
            consul.close();
        }
    }

    private static Proc.Result octo(Path socket, String... args) {
        String root = System.getProperty("octohost.root");
        Path jar = Path.of(System.getProperty("octohost.octo.jar", Path.of(root).resolve("octo-cli/target/octo.jar").toString()));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--api-socket", socket.toString()));
        cmd.addAll(List.of(args));
        return Proc.of(cmd).timeout(Duration.ofSeconds(30)).run();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> lines(Path file, String text) {
        return read(file).lines().filter(l -> l.contains(text)).toList();
    }
}
