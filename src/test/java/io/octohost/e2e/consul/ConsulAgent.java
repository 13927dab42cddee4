package io.octohost.e2e.consul;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.e2e.Await;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Consul agent for the scenarios: the binary that {@code scripts/consul path} builds (from the
 * Go module proxy, cached in ~/.cache/octohost), on free loopback ports that stay the same across
 * {@link #stop()} and {@link #start()}, so octod's --consul-url keeps pointing at it.
 *
 * <ul>
 * <li>{@link #dev(Path)}: {@code consul agent -dev}, in memory, ready in about half a second;</li>
 * <li>{@link #persistent(Path)}: a one-node server with a data dir, whose KV survives a restart
 * (for the outage scenario).</li>
 * </ul>
 * No skipping: when Consul cannot be built or started, the test fails with the reason.
 */
public final class ConsulAgent implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path dir;
    private final boolean persistent;
    private final Path binary;
    private final int httpPort;
    private final int serfPort;
    private final int serverPort;
    private Process process;

    private ConsulAgent(Path dir, boolean persistent) {
        this.dir = dir.toAbsolutePath();
        this.persistent = persistent;
        this.binary = binary();
        this.httpPort = Octohost.freePort();
        this.serfPort = Octohost.freePort();
        this.serverPort = Octohost.freePort();
    }

    /**
     * An agent with its ports chosen, not started: register it as a JUnit extension before the
     * {@link Octohost} that uses it ({@code @Order(1)}), so it runs before octod starts.
     */
    public static ConsulAgent create(boolean persistent) {
        try {
            return new ConsulAgent(Files.createTempDirectory("octohost-consul-"), persistent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The octod flags that use this agent. */
    public String[] octodArgs() {
        return new String[] {"--state", "consul", "--consul-url", url().toString()};
    }

    /** A dev agent (in memory), started. */
    public static ConsulAgent dev(Path dir) {
        ConsulAgent a = new ConsulAgent(dir, false);
        a.start();
        return a;
    }

    /** A one-node server keeping its data in {@code dir/data}, started. */
    public static ConsulAgent persistent(Path dir) {
        ConsulAgent a = new ConsulAgent(dir, true);
        a.start();
        return a;
    }

    /** {@code <root>/scripts/consul path}: builds Consul on first use (minutes), then prints the cached binary. */
    public static Path binary() {
        String root = System.getProperty("octohost.root");
        if (root == null) throw new IllegalStateException("system property octohost.root is not set (src/test/pom.xml sets it)");
        Proc.Result r = Proc.of(Path.of(root).resolve("scripts/consul").toString(), "path").timeout(Duration.ofMinutes(15)).run();
        if (!r.ok()) throw new IllegalStateException("scripts/consul path failed: Consul is needed for these tests\n" + r.describe());
        List<String> lines = r.output().lines().map(String::strip).filter(l -> l.startsWith("/")).toList();
        if (lines.isEmpty()) throw new IllegalStateException("scripts/consul path printed no path:\n" + r.describe());
        return Path.of(lines.get(lines.size() - 1));
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) return;
        try {
            Files.createDirectories(dir);
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "agent"));
            if (persistent) {
                Files.createDirectories(dir.resolve("data"));
                cmd.addAll(List.of("-server", "-bootstrap-expect", "1", "-data-dir", dir.resolve("data").toString(),
                        "-hcl", "performance { raft_multiplier = 1 }"));
            } else {
                cmd.add("-dev");
            }
            cmd.addAll(List.of("-node", "octohost-e2e-" + httpPort, "-bind", "127.0.0.1", "-client", "127.0.0.1",
                    "-http-port", String.valueOf(httpPort), "-serf-lan-port", String.valueOf(serfPort),
                    "-server-port", String.valueOf(serverPort), "-serf-wan-port", "-1", "-dns-port", "-1",
                    "-grpc-port", "-1", "-grpc-tls-port", "-1", "-https-port", "-1"));
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("consul.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        try {
            Await.until("consul has a leader", Duration.ofSeconds(60), () -> !started.isAlive()
                    || tryGet("/v1/status/leader").filter(leader -> leader.strip().matches("\"[^\"]+\"")).isPresent());
        } catch (AssertionError e) {
            throw new IllegalStateException(e.getMessage() + "; log:\n" + logTail(), e);
        }
        if (!started.isAlive()) throw new IllegalStateException("consul exited during start; log:\n" + logTail());
    }

    /** Stops the agent (SIGTERM, as an operator would). */
    public synchronized void stop() {
        if (process == null) return;
        Proc.stop(process, Duration.ofSeconds(15));
        process = null;
    }

    /** Forgets the services the agent keeps in its data dir (only while it is stopped), as an agent rebuilt from scratch. */
    public void forgetLocalServices() {
        if (process != null) throw new IllegalStateException("stop the agent first");
        for (String sub : List.of("services", "checks")) {
            Path p = dir.resolve("data").resolve(sub);
            if (!Files.exists(p)) continue;
            try (Stream<Path> files = Files.walk(p)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops the agent and deletes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public Path dir() {
        return dir;
    }

    // ---------------------------------------------------------------- the consul CLI, as a user runs it

    /** {@code consul ARGS...} with CONSUL_HTTP_ADDR set to this agent. */
    public Proc.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        return Proc.of(cmd).env("CONSUL_HTTP_ADDR", url().toString()).timeout(Duration.ofSeconds(30)).run();
    }

    /** {@code consul kv put KEY VALUE}. */
    public void kvPut(String key, String value) {
        cli("kv", "put", key, value).orFail();
    }

    /** {@code consul kv get KEY}: the value, without the newline the CLI adds; empty when the key is missing. */
    public Optional<String> kvGet(String key) {
        Proc.Result r = cli("kv", "get", key);
        if (!r.ok()) return Optional.empty();
        String out = r.output();
        return Optional.of(out.endsWith("\n") ? out.substring(0, out.length() - 1) : out);
    }

    /** The raw bytes of a key ({@code GET /v1/kv/KEY?raw}), empty when missing. */
    public Optional<byte[]> kvRaw(String key) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(url().resolve("/v1/kv/" + key + "?raw")).GET(), HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() == 404 ? Optional.empty() : Optional.of(r.body());
    }

    // ---------------------------------------------------------------- catalog and checks

    /** {@code GET /v1/catalog/service/NAME}: one object per instance (ServiceID, ServicePort, ServiceTags, ...). */
    public List<JsonNode> catalogService(String name) {
        return Json.elements(Json.parse(get("/v1/catalog/service/" + name)));
    }

    /** {@code GET /v1/agent/checks}: the local agent's checks by ID, with their latest output. */
    public JsonNode agentChecks() {
        return Json.parse(get("/v1/agent/checks"));
    }

    /** {@code GET /v1/agent/services}: the local agent's services by ID. */
    public JsonNode agentServices() {
        return Json.parse(get("/v1/agent/services"));
    }

    public String get(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(url().resolve(path)).GET(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private Optional<String> tryGet(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder req, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(req.timeout(Duration.ofSeconds(10)).build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("consul.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
