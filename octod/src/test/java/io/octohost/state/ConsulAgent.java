package io.octohost.state;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Consul dev agent for tests, started with the repo's {@code scripts/consul start DIR}
 * (which builds Consul from the Go module proxy on first use). No skipping: when the script cannot
 * give an agent, the test fails with its output.
 */
public final class ConsulAgent implements AutoCloseable {
    private final Path script;
    private final Path dir;
    private final URI url;

    private ConsulAgent(Path script, Path dir, URI url) {
        this.script = script;
        this.dir = dir;
        this.url = url;
    }

    public static ConsulAgent start() throws IOException, InterruptedException {
        Path script = repoRoot().resolve("scripts/consul");
        Path dir = Files.createTempDirectory("octod-consul-");
        String out = run(script, "start", dir.toString());
        String addr = out.lines().map(String::strip).filter(l -> l.startsWith("http://")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("scripts/consul start printed no address:\n" + out));
        return new ConsulAgent(script, dir, URI.create(addr));
    }

    /**
     * A Consul server that never has a leader: it waits for a second server that never comes, as a
     * cluster does while it elects one. It answers HTTP, but serves no data (500 "No cluster leader").
     */
    public static ConsulAgent startLeaderless() throws IOException, InterruptedException {
        Path script = repoRoot().resolve("scripts/consul");
        String binary = run(script, "path").strip().lines().reduce((a, b) -> b).orElseThrow();
        // free ports are picked before the agent binds them (serf on UDP too): another process may
        // take one in between, so an agent that exits at once is started again on fresh ports
        String log = "";
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path dir = Files.createTempDirectory("octod-consul-");
            ConsulAgent started = startLeaderless(script, binary, dir);
            if (started != null) {
                return started;
            }
            log = Files.readString(dir.resolve("consul.log"));
            new ConsulAgent(script, dir, URI.create("http://127.0.0.1")).close();
        }
        throw new IllegalStateException("the leaderless agent did not answer in 3 attempts; its last log:\n" + log);
    }

    private static ConsulAgent startLeaderless(Path script, String binary, Path dir) throws IOException, InterruptedException {
        int http = freePort();
        Process agent = new ProcessBuilder(binary, "agent", "-server", "-bootstrap-expect", "2", "-data-dir", dir.resolve("data").toString(),
                "-node", "octohost-leaderless-" + http, "-bind", "127.0.0.1", "-client", "127.0.0.1", "-http-port", Integer.toString(http),
                "-serf-lan-port", Integer.toString(freePort()), "-server-port", Integer.toString(freePort()), "-serf-wan-port", "-1",
                "-dns-port", "-1", "-grpc-port", "-1", "-grpc-tls-port", "-1", "-https-port", "-1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("consul.log").toFile()).start();
        // where scripts/consul stop finds it
        Files.writeString(dir.resolve("consul.pid"), Long.toString(agent.pid()));
        ConsulAgent started = new ConsulAgent(script, dir, URI.create("http://127.0.0.1:" + http));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest leader = HttpRequest.newBuilder(started.url().resolve("/v1/status/leader")).build();
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline && agent.isAlive(); Thread.sleep(200)) {
            try {
                if (client.send(leader, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return started;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
        }
        started.stop();
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public URI url() {
        return url;
    }

    /** Stops the agent (idempotent). */
    public void stop() throws IOException, InterruptedException {
        run(script, "stop", dir.toString());
    }

    /** Stops the agent and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** The directory holding {@code scripts/consul}, found from the working directory upwards. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("scripts/consul"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("no scripts/consul above " + Path.of("").toAbsolutePath());
    }

    private static String run(Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        // a cold build of Consul takes minutes
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed with " + p.exitValue() + ":\n" + text);
        }
        return text;
    }
}
