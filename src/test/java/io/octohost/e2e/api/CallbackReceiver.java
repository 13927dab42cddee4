package io.octohost.e2e.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server in the test, on a free loopback port: takes build status callbacks under
 * {@code /status/NAME} (one POST each) and log callbacks under {@code /logs/NAME} (one long POST,
 * read line by line as the lines arrive, each with its arrival time), and serves files (source
 * tarballs) and git repositories (git's dumb HTTP protocol: plain files) that ask for basic auth.
 * It keeps the basic auth each request came with.
 */
final class CallbackReceiver implements AutoCloseable {
    /** Something received, and when (System.nanoTime()). */
    record Received(long nanos, String text) {
    }

    /** A file to serve, and the user and password it asks for. */
    private record Served(byte[] bytes, String user, String password) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, List<Received>> statuses = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> lines = new ConcurrentHashMap<>();
    private final Map<String, Long> logEnds = new ConcurrentHashMap<>();
    private final Map<String, String> auth = new ConcurrentHashMap<>();
    private final Map<String, Served> files = new ConcurrentHashMap<>();
    private final Map<String, Path> repos = new ConcurrentHashMap<>();
    private final List<String> downloads = new CopyOnWriteArrayList<>();

    private CallbackReceiver(HttpServer server) {
        this.server = server;
        server.setExecutor(threads);
        server.createContext("/status/", this::status);
        server.createContext("/logs/", this::logs);
        server.createContext("/files/", this::file);
        server.createContext("/repos/", this::repoFile);
        server.start();
    }

    static CallbackReceiver start() {
        try {
            return new CallbackReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Octohost.freePort()), 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://[userinfo@]127.0.0.1:PORT/path}. */
    String url(String userInfo, String path) {
        return "http://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Serves {@code bytes} at {@code /files/NAME} to requests with this basic auth (401 without it). */
    String serve(String name, byte[] bytes, String user, String password) {
        files.put("/files/" + name, new Served(bytes, user, password));
        return url(user + ":" + password, "/files/" + name);
    }

    /**
     * Serves a bare clone of the work tree (made beside it) at {@code /repos/NAME.git} over git's dumb
     * HTTP protocol, to requests with this basic auth; returns its URL, with the user info.
     */
    String serveRepo(String name, Path workTree, String user, String password) {
        Path bare = workTree.resolveSibling(name + "-served.git");
        Proc.of("git", "clone", "-q", "--bare", workTree.toString(), bare.toString()).run().orFail();
        Proc.of("git", "-C", bare.toString(), "update-server-info").run().orFail();
        String path = "/repos/" + name + ".git";
        repos.put(path + "/", bare);
        files.put(path + "/", new Served(new byte[0], user, password));
        return url(user + ":" + password, path);
    }

    private void status(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        long now = System.nanoTime();
        keepAuth(ex);
        statuses.computeIfAbsent(ex.getRequestURI().getPath(), k -> new CopyOnWriteArrayList<>()).add(new Received(now, body));
        answer(ex, 200, "{}");
    }

    private void logs(HttpExchange ex) throws IOException {
        keepAuth(ex);
        String path = ex.getRequestURI().getPath();
        List<Received> got = lines.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(ex.getRequestBody(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                got.add(new Received(System.nanoTime(), line));
            }
        }
        logEnds.put(path, System.nanoTime());
        answer(ex, 200, "");
    }

    private void file(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        downloads.add(path);
        Served f = files.get(path);
        if (f == null) {
            answer(ex, 404, "no such file");
        } else if (authorized(ex, f)) {
            answer(ex, 200, f.bytes());
        }
    }

    /** A file of a served repository: {@code /repos/NAME.git/...}, the repository's basic auth asked for. */
    private void repoFile(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String repo = repos.keySet().stream().filter(path::startsWith).findFirst().orElse(null);
        Path file = repo == null ? null : repos.get(repo).resolve(path.substring(repo.length())).normalize();
        if (file == null || !file.startsWith(repos.get(repo)) || !Files.isRegularFile(file)) {
            answer(ex, 404, "no such file");
        } else if (authorized(ex, files.get(repo))) {
            answer(ex, 200, Files.readAllBytes(file));
        }
    }

    /** Keeps the request's basic auth, and answers 401 unless it is the one the file asks for. */
    private boolean authorized(HttpExchange ex, Served f) throws IOException {
        keepAuth(ex);
        String wanted = "Basic " + Base64.getEncoder().encodeToString((f.user() + ":" + f.password()).getBytes(StandardCharsets.UTF_8));
        if (wanted.equals(ex.getRequestHeaders().getFirst("Authorization"))) return true;
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"files\"");
        answer(ex, 401, "who are you?");
        return false;
    }

    private void keepAuth(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Basic ")) {
            auth.put(ex.getRequestURI().getPath(), new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8));
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        answer(ex, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    /** The status bodies POSTed to {@code /status/NAME}, in the order they came. */
    List<Received> statusBodies(String name) {
        return List.copyOf(statuses.getOrDefault("/status/" + name, List.of()));
    }

    /** The {@code status} field of each status body to {@code /status/NAME}, in order. */
    List<String> statuses(String name) {
        List<String> out = new ArrayList<>();
        statusBodies(name).forEach(r -> out.add(Json.parse(r.text()).path("status").asText()));
        return out;
    }

    /** The log lines streamed to {@code /logs/NAME}, each with the time it arrived. */
    List<Received> logLines(String name) {
        return List.copyOf(lines.getOrDefault("/logs/" + name, List.of()));
    }

    /** When the log request to {@code /logs/NAME} ended (System.nanoTime()), or null while it goes on. */
    Long logEnd(String name) {
        return logEnds.get("/logs/" + name);
    }

    /** The basic auth ({@code user:password}) the last request to the path came with. */
    String authOf(String path) {
        return auth.get(path);
    }

    /** The paths of /files/ asked for, in order. */
    List<String> downloads() {
        return List.copyOf(downloads);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
