package io.octohost.e2e.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.octohost.e2e.Octohost;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/** GitHub's side of the webhook: payloads as GitHub sends them, signed in the test with the secret, POSTed to octod. */
final class Webhook {
    static final String ZERO = "0000000000000000000000000000000000000000";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Octohost octohost;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Webhook(Octohost octohost) {
        this.octohost = octohost;
    }

    /**
     * A push event's payload: {@code ref}, {@code before}/{@code after}, {@code deleted}, the repository
     * (its default branch master, and a clone URL octod must never use) and the pusher.
     */
    static byte[] push(String repo, String branch, String after, boolean deleted) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("ref", branch.startsWith("refs/") ? branch : "refs/heads/" + branch);
        p.put("before", ZERO);
        p.put("after", after);
        p.put("created", false);
        p.put("deleted", deleted);
        ObjectNode r = p.putObject("repository");
        r.put("full_name", repo);
        r.put("name", repo.substring(repo.indexOf('/') + 1));
        r.put("default_branch", "master");
        r.put("clone_url", "file:///nonexistent/evil.git");
        p.putObject("pusher").put("name", "alice");
        return p.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] ping(String repo) {
        return ("{\"zen\": \"Keep it logically awesome.\", \"hook_id\": 1, \"repository\": {\"full_name\": \"" + repo + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** {@code sha256=HEX}: the HMAC-SHA256 of the body with the secret, computed here as GitHub does. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newDelivery() {
        return UUID.randomUUID().toString();
    }

    /** A delivery signed with {@code secret}, with more headers (name, value, ...): a proxy's. */
    HttpResponse<String> deliver(String event, byte[] body, String secret, String delivery, String... headers) {
        return send(event, body, sign(secret, body), delivery, headers);
    }

    /** A delivery with this signature header (none when null). */
    HttpResponse<String> send(String event, byte[] body, String signature, String delivery, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + octohost.httpApiPort() + "/v1/hooks/github"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").header("User-Agent", "GitHub-Hookshot/e2e")
                .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery);
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        if (signature != null) {
            r.header("X-Hub-Signature-256", signature);
        }
        return call(r.build());
    }

    private HttpResponse<String> call(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
