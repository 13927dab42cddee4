package io.octohost.e2e.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server standing in for GitHub's REST API, on a free loopback port: it takes commit
 * statuses at {@code POST /repos/OWNER/REPO/statuses/SHA} (201, as GitHub does) and keeps each with
 * the Authorization header it came with. The repository {@code acme/down} has GitHub failing: every
 * status for it is kept and answered 500.
 */
final class FakeGithub implements AutoCloseable {
    /** A status octod posted: its path, its Authorization header and its JSON body. */
    record Posted(String path, String authorization, JsonNode body) {
        String state() {
            return body.path("state").asText();
        }
    }

    private final HttpServer server;
    private final List<Posted> posted = new CopyOnWriteArrayList<>();

    private FakeGithub(HttpServer server) {
        this.server = server;
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeGithub start() {
        try {
            return new FakeGithub(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Octohost.freePort()), 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API's base URL, for {@code --github-api-url}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean status = ex.getRequestMethod().equals("POST") && ex.getRequestURI().getPath().matches("/repos/[^/]+/[^/]+/statuses/[0-9a-f]{40}");
        if (status) {
            posted.add(new Posted(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Authorization"), Json.parse(body)));
        }
        byte[] answer = (status ? "{\"state\": \"ok\"}" : "{\"message\": \"Not Found\"}").getBytes(StandardCharsets.UTF_8);
        boolean down = ex.getRequestURI().getPath().startsWith("/repos/acme/down/");
        ex.sendResponseHeaders(down ? 500 : status ? 201 : 404, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
    }

    /** The statuses posted for one commit of one repository, in the order they came. */
    List<Posted> statuses(String repo, String sha) {
        return posted.stream().filter(p -> p.path().equals("/repos/" + repo + "/statuses/" + sha)).toList();
    }

    /** Every status posted for a repository. */
    List<Posted> statuses(String repo) {
        return posted.stream().filter(p -> p.path().startsWith("/repos/" + repo + "/")).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
