package io.octohost.state;

import io.octohost.app.UserError;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OCTOD_CONSUL_TOKEN against a real agent with ACLs on (default deny). */
@Tag("consul")
class ConsulAclTest {
    private static final String TOKEN = "0f3c1c2e-4d9e-4d8e-9f57-5d3c0c2a7b11";

    @Test
    void theTokenIsSentAndAWrongOneIsRefusedWithoutBeingShown() throws Exception {
        Path binary = Path.of(run(ConsulAgent.repoRoot().resolve("scripts/consul").toString(), "path").strip().lines()
                .reduce((a, b) -> b).orElseThrow());
        Path dir = Files.createTempDirectory("octod-consul-acl-");
        int http = freePort();
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "agent", "-dev", "-node", "acl-" + http,
                "-bind", "127.0.0.1", "-client", "127.0.0.1", "-http-port", String.valueOf(http),
                "-serf-lan-port", String.valueOf(freePort()), "-server-port", String.valueOf(freePort()),
                "-serf-wan-port", "-1", "-dns-port", "-1", "-grpc-port", "-1", "-grpc-tls-port", "-1", "-https-port", "-1",
                "-hcl", "acl { enabled = true\n default_policy = \"deny\"\n tokens { initial_management = \"" + TOKEN + "\" } }"));
        Process agent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("consul.log").toFile()).start();
        URI url = URI.create("http://127.0.0.1:" + http);
        try {
            awaitLeader(url, agent, dir);
            try (ConsulStateStore good = new ConsulStateStore(url, Optional.of(TOKEN))) {
                good.put("octohost/acl/KEY", "v".getBytes(StandardCharsets.UTF_8));
                assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), good.get("octohost/acl/KEY").orElseThrow());
            }
            // the policy docs/consul.md gives octod is enough for everything it does
            String policy = "key_prefix \"octohost/\" { policy = \"write\" }\nkey_prefix \"octod/\" { policy = \"write\" }\n"
                    + "service_prefix \"\" { policy = \"write\" }\nnode_prefix \"\" { policy = \"read\" }\n";
            String octodToken = createToken(url, policy);
            try (ConsulStateStore scoped = new ConsulStateStore(url, Optional.of(octodToken))) {
                scoped.ping();
                scoped.apply(List.of(new StateStore.Change.Put("octohost/acl/A", "1".getBytes(StandardCharsets.UTF_8)),
                        new StateStore.Change.Put("octod/keys/k", "2".getBytes(StandardCharsets.UTF_8)),
                        new StateStore.Change.DeletePrefix("octohost/acl/KEY")));
                assertEquals(1, scoped.list("octohost/").size());
                assertEquals(1, scoped.listBlocking("octohost/", java.math.BigInteger.ZERO, Duration.ofSeconds(5)).entries().size());
                org.kiwiproject.consul.Consul client = ConsulStateStore.connect(url, Optional.of(octodToken), Duration.ofSeconds(5));
                try {
                    var agentClient = client.agentClient();
                    agentClient.register(io.octohost.discovery.ServiceSpec.of(io.octohost.app.AppName.of("acl"),
                            new io.octohost.app.Backend("ab".repeat(32), "acl.1", "172.17.0.2", 80, 8080), java.util.Map.of())
                            .registration("inst"));
                    assertTrue(agentClient.getServices().containsKey("acl-abababababab"));
                    agentClient.deregister("acl-abababababab");
                } finally {
                    client.destroy();
                }
                UserError outside = assertThrows(UserError.class, () -> scoped.put("elsewhere/x", new byte[0]));
                assertTrue(outside.getMessage().contains("Permission denied"), outside.getMessage());
            }
            for (Optional<String> token : List.of(Optional.<String>empty(), Optional.of("wrong-secret-token"))) {
                try (ConsulStateStore bad = new ConsulStateStore(url, token)) {
                    UserError e = assertThrows(UserError.class,
                            () -> bad.put("octohost/acl/KEY", "x".getBytes(StandardCharsets.UTF_8)));
                    assertTrue(e.getMessage().startsWith("state store unavailable: Consul at " + url + " answered 40")
                            && (e.getMessage().contains("Permission denied") || e.getMessage().contains("ACL not found")), e.getMessage());
                    assertFalse(e.getMessage().contains("wrong-secret") || e.getMessage().contains(TOKEN), e.getMessage());
                    assertEquals(1, e.getMessage().lines().count());
                }
            }
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** A token with this policy, made with the management token. */
    private static String createToken(URI url, String rules) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String rulesJson = rules.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        HttpResponse<String> p = client.send(HttpRequest.newBuilder(url.resolve("/v1/acl/policy")).header("X-Consul-Token", TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"Name\":\"octod\",\"Rules\":\"" + rulesJson + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, p.statusCode(), p.body());
        HttpResponse<String> t = client.send(HttpRequest.newBuilder(url.resolve("/v1/acl/token")).header("X-Consul-Token", TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"Policies\":[{\"Name\":\"octod\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, t.statusCode(), t.body());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"SecretID\"\\s*:\\s*\"([^\"]+)\"").matcher(t.body());
        assertTrue(m.find(), t.body());
        return m.group(1);
    }

    private static void awaitLeader(URI url, Process agent, Path dir) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(agent.isAlive(), () -> "consul exited: " + read(dir.resolve("consul.log")));
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(url.resolve("/v1/status/leader")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().matches("\"[^\"]+\"\\s*")) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no leader: " + read(dir.resolve("consul.log")));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }
}
