package io.octohost.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.LogCapture;
import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.BuildStatus;
import io.octohost.app.Json;
import io.octohost.app.NotFound;
import io.octohost.app.WrongState;
import io.octohost.auth.Tokens;
import io.octohost.builds.Build;
import io.octohost.builds.BuildRequest;
import io.octohost.builds.BuildService;
import io.octohost.builds.BuildStore;
import io.octohost.callbacks.CallbackTarget;
import io.octohost.auth.LoginLimiter;
import io.octohost.auth.Users;
import io.octohost.command.AppDirectory;
import io.octohost.command.Commands;
import io.octohost.source.Source;
import io.octohost.state.ConsulStateStore;
import io.octohost.state.Deliveries;
import io.octohost.state.FileStateStore;
import io.octohost.state.Projects;
import io.octohost.state.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP layer over a real Jetty and a real HTTP client: routes, tokens, permissions, seed 004's
 * bodies and status codes. Builds go to an in-test BuildService over a real BuildStore (the deploy
 * pipeline's implementation comes with the integration, and its own end-to-end tests).
 */
class HttpApiTest {
    static final String SEED_BODY = """
            {
              "webhooks":{
                "status":"https://token@example.com",
                "logs":"https://user:pass@example.com",
              },
              "metadata":"deploymentt-namespacce",
              "human_readable_info":"Build #3 - https://example.com/repo.git sha #abcdef134",
              "arguments":{"X":"Y"},
              "source":{
                "url":"docker://user:pass@example.com/org/repo:tag",
              },
              "destination":{
                "image":"docker://user:pass@example.com/org/repo:tag",
              },
            }
            """;
    static final String SEED_BODY_LISTS = """
            {
              "webhooks":{
                "status":"https://token@example.com",
                "logs":["https://user:pass@example.com","kafka://10.0.0.1:9092/buildlogs"],
              },
              "metadata":"deploymentt-namespacce",
              "human_readable_info":"Build #3 - https://example.com/repo.git sha #abcdef134",
              "arguments":{"X":"Y"},
              "source":{
                "url":"docker://user:pass@example.com/org/repo:tag",
              },
              "destination":{
                "url":"docker://user:pass@example.com/org/repo:tag",
              },
            }
            """;
    private static final AppName SHOP = AppName.of("shop");
    private static final AppName BLOG = AppName.of("blog");
    @TempDir
    Path dir;
    private HttpApi api;
    private BuildStore store;
    private final List<BuildRequest> submitted = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Tokens tokens;
    private Users users;
    /** The GitHub side, on the same state: the webhook is never signed here, so it never reaches its pushes. */
    private Github github;
    private String admin;
    private String shopDeploy;

    /** The in-test builds: records in a real BuildStore, nothing built. */
    private final class RecordingBuilds implements BuildService {
        @Override
        public Build submit(BuildRequest r) {
            if (!r.app().equals(SHOP) && !r.app().equals(BLOG)) {
                throw new NotFound("unknown app '" + r.app() + "'");
            }
            Build b = store.create(Build.pending(r.id(), r.app(), r.trigger(), r.by(), r.source().describe(),
                    java.time.Instant.now(), r.metadata(), r.info()));
            submitted.add(r);
            return b;
        }

        @Override
        public void forget(AppName app) {
            throw new UnsupportedOperationException("the HTTP API never forgets builds");
        }

        @Override
        public Build cancel(AppName app, BuildId id, String by) {
            Build b = find(app, id).orElseThrow(() -> new NotFound("no build '" + id + "' of " + app));
            if (b.status().ended()) {
                throw new WrongState("build " + id + " is not running: it " + b.status().label());
            }
            return store.update(b.to(BuildStatus.CANCELLED, java.time.Instant.now(), "cancelled by " + by));
        }

        @Override
        public Optional<Build> find(AppName app, BuildId id) {
            return store.find(app, id);
        }

        @Override
        public List<Build> list(AppName app) {
            return store.list(app);
        }

        @Override
        public void writeLog(AppName app, BuildId id, boolean follow, OutputStream out) throws IOException {
            store.writeLog(app, id, follow, out);
        }

        @Override
        public List<io.octohost.builds.BuildArtifacts.Artifact> artifacts(AppName app, BuildId id) {
            return store.artifacts().list(app, id);
        }

        @Override
        public io.octohost.builds.BuildArtifacts.Artifact artifact(AppName app, BuildId id, String name) {
            return store.artifacts().find(app, id, name);
        }

        @Override
        public void writeArtifact(AppName app, BuildId id, String name, OutputStream out) throws IOException {
            store.artifacts().write(app, id, name, out);
        }

        @Override
        public io.octohost.builds.BuildEvents.Watch watch(java.util.function.Consumer<Build> watcher) {
            return store.events().watch(watcher);
        }
    }

    /** The in-test app directory: two apps and a release each. */
    private static final class TwoApps implements AppDirectory {
        @Override
        public List<AppName> apps() {
            return List.of(BLOG, SHOP);
        }

        @Override
        public AppName existing(AppName app) {
            if (!apps().contains(app)) {
                throw new NotFound("unknown app '" + app + "'");
            }
            return app;
        }

        @Override
        public App describe(AppName app) {
            return new App(app.value(), app.value(), "master", "v1", "1".repeat(40), List.of(), List.of(app + ".example.com"),
                    "http://" + app + ".example.com/");
        }

        @Override
        public List<ReleaseRow> releases(AppName app) {
            return List.of(new ReleaseRow("v1", true, "1".repeat(40), "sha256:1", false, Instant.parse("2026-12-03T06:27:19Z"),
                    "ops", "config:set SECRET"));
        }

        @Override
        public java.io.InputStream source(AppName app, int number) {
            throw new NotFound(app + " v" + number + " has no source kept in this test");
        }
    }

    @BeforeEach
    void start() throws Exception {
        FileStateStore state = new FileStateStore(dir.resolve("state"));
        tokens = new Tokens(state, Clock.systemUTC());
        users = new Users(state, Clock.systemUTC());
        github = new Github(new Projects(state), new Deliveries(state), null);
        admin = tokens.create("ops", Role.ADMIN, Set.of());
        shopDeploy = tokens.create("shop-ci", Role.DEPLOY, Set.of(SHOP));
        store = new BuildStore(dir.resolve("builds"), 50, 1 << 20, Clock.systemUTC());
        api = new HttpApi(new InetSocketAddress("127.0.0.1", 0), new TwoApps(), new RecordingBuilds(), tokens,
                new Sessions(users, new LoginLimiter(3, 10, Duration.ofMinutes(5), Clock.systemUTC()), Duration.ofDays(30),
                        new Commands(null), null, null), github);
        api.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A status and the start of the body. */
    private record Start(int statusCode, String body) {
    }

    /** As {@link #call}, reading only the start of the body: a stream (the event stream) answers without ending. */
    private Start callStart(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        HttpResponse<InputStream> response = client.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] start = new byte[4096];
            int n = in.read(start);
            return new Start(response.statusCode(), n < 0 ? "" : new String(start, 0, n, StandardCharsets.UTF_8));
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.toString());
        return Json.MAPPER.readTree(response.body());
    }

    private static void assertError(int status, String messageStart, HttpResponse<String> response) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        String error = json(response).path("error").asText();
        assertTrue(error.startsWith(messageStart), "expected '" + messageStart + "...', got '" + error + "'");
    }

    @Test
    void theOpenApiDocumentListsExactlyTheRoutesServed() throws Exception {
        HttpResponse<String> doc = call("GET", "/v1/openapi.json", null, null);
        assertEquals(200, doc.statusCode());
        JsonNode paths = json(doc).path("paths");
        List<String> documented = new ArrayList<>();
        paths.fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (!m.equals("parameters")) {
                documented.add(m.toUpperCase() + " " + p.getKey());
            }
        }));
        List<Route> table = ApiRoutes.table(new TwoApps(), new RecordingBuilds(), github, tokens,
                new Sessions(users, LoginLimiter.standard(Clock.systemUTC()), Duration.ofDays(30), new Commands(null), null, null));
        List<String> served = table.stream().map(r -> r.method() + " " + r.path()).toList();
        assertEquals(served.stream().sorted().toList(), documented.stream().sorted().toList(),
                "a route without its OpenAPI entry, or an entry without its route");
        // and every route in the table answers: never "no such endpoint" nor 405
        for (Route route : table) {
            String path = route.path().replace("{app}", "shop").replace("{build_id}", "b1").replace("{id}", "b1")
                    .replace("{name}", "p1").replace("{n}", "1");
            Start r = callStart(route.method(), path, admin, route.method().equals("POST") ? "{}" : null);
            assertFalse(r.statusCode() == 405 || r.body().contains("no such endpoint"), route + ": " + r.body());
        }
    }

    @Test
    void noTokenOrAWrongOneIs401WithAChallengeAndTheTokenIsNeverLogged() throws Exception {
        try (LogCapture log = new LogCapture(ApiServlet.class)) {
            String wrong = admin.substring(0, admin.length() - 2) + "zz";
            for (String token : new String[] {null, wrong, "not-a-token"}) {
                HttpResponse<String> r = call("GET", "/v1/apps", token, null);
                assertError(401, "authentication required", r);
                assertEquals(List.of("Bearer realm=\"octod\"", "Basic realm=\"octod\", charset=\"UTF-8\""), r.headers().allValues("WWW-Authenticate"));
            }
            HttpResponse<String> post = call("POST", "/v1/shuttle/shop/b1", wrong, SEED_BODY);
            assertError(401, "authentication required", post);
            assertEquals(List.of(), submitted, "nothing was started");
            assertTrue(log.text().contains("refused GET /v1/apps from 127.0.0.1: no token"), log.text());
            assertTrue(log.text().contains("a token that is not valid"), log.text());
            assertFalse(log.text().contains(wrong.substring(4)) || log.text().contains(admin.substring(4)), log.text());
        }
    }

    @Test
    void aRefusedRequestIsAnsweredOnceItsBodyIsInSoTheClientGetsTheAnswerAndKeepsItsConnection() throws Exception {
        byte[] body = SEED_BODY.getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/shuttle/shop/b1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(500);
            assertThrows(java.net.SocketTimeoutException.class, () -> socket.getInputStream().read(),
                    "answered before the body came: Jetty then closes the connection, and a client still sending it gets a reset");
            out.write(body);
            out.write("GET /v1/apps HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String[] each = answers.split("HTTP/1\\.1 ");
            assertEquals(3, each.length, answers);
            assertTrue(each[1].startsWith("401 ") && each[2].startsWith("401 "), answers);
            assertFalse(each[1].contains("Connection: close"), answers);
            assertEquals(List.of(), submitted, "nothing was started");
        }
    }

    @Test
    void theTokenWorksAsBearerAndAsTheBasicAuthPassword() throws Exception {
        assertEquals(200, call("GET", "/v1/apps", admin, null).statusCode());
        String basic = Base64.getEncoder().encodeToString(("anyone:" + admin).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/apps"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, json(r).size());
    }

    @Test
    void aDeployTokenLimitedToAnAppSeesAndTouchesOnlyThatApp() throws Exception {
        JsonNode apps = json(call("GET", "/v1/apps", shopDeploy, null));
        assertEquals(1, apps.size());
        assertEquals("shop", apps.get(0).path("name").asText());
        assertEquals(200, call("GET", "/v1/apps/shop", shopDeploy, null).statusCode());
        assertError(403, "permission denied: token 'shop-ci' may not read app 'blog'", call("GET", "/v1/apps/blog", shopDeploy, null));
        assertError(403, "permission denied", call("GET", "/v1/apps/blog/releases", shopDeploy, null));
        assertError(403, "permission denied: token 'shop-ci' may not build app 'blog'", call("POST", "/v1/shuttle/blog/b1", shopDeploy, SEED_BODY));
        assertError(403, "permission denied", call("POST", "/v1/apps/blog/builds", shopDeploy, SEED_BODY));
        assertEquals(List.of(), submitted, "nothing was started");
        assertEquals(200, call("POST", "/v1/shuttle/shop/b1", shopDeploy, SEED_BODY).statusCode());
        assertEquals(1, submitted.size());
    }

    @Test
    void appsAndTheirReleasesForDashboards() throws Exception {
        JsonNode shop = json(call("GET", "/v1/apps/shop", admin, null));
        assertEquals("shop.example.com", shop.path("domains").get(0).asText());
        JsonNode releases = json(call("GET", "/v1/apps/shop/releases", admin, null));
        assertEquals("v1", releases.get(0).path("release").asText());
        assertError(404, "unknown app 'nope'", call("GET", "/v1/apps/nope", admin, null));
        assertError(404, "unknown app 'nope'", call("GET", "/v1/apps/nope/builds", admin, null));
        assertError(400, "app: invalid app name 'No_Such'", call("GET", "/v1/apps/No_Such", admin, null));
    }

    @Test
    void aSeedBodyCopiedFromTheSeedIsAcceptedAsIs() throws Exception {
        HttpResponse<String> r = call("POST", "/v1/shuttle/shop/5f1c0d2e", admin, SEED_BODY);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Map.of("status", "OK"), Json.MAPPER.convertValue(json(r), Map.class));
        BuildRequest req = submitted.get(0);
        assertEquals(new BuildId("5f1c0d2e"), req.id());
        assertEquals("ops", req.by());
        assertEquals("example.com/org/repo:tag", ((Source.Image) req.source()).image().reference());
        assertEquals("user", ((Source.Image) req.source()).image().credentials().orElseThrow().user());
        assertEquals("example.com/org/repo:tag", req.destination().orElseThrow().reference());
        assertEquals(Map.of("X", "Y"), req.arguments());
        assertEquals(List.of(CallbackTarget.parse("https://token@example.com")), req.statusCallbacks());
        assertEquals(List.of(CallbackTarget.parse("https://user:pass@example.com")), req.logCallbacks());
        assertEquals("deploymentt-namespacce", req.metadata().asText());
        assertEquals("Build #3 - https://example.com/repo.git sha #abcdef134", req.info());

        assertEquals(200, call("POST", "/v1/shuttle/shop/second", admin, SEED_BODY_LISTS).statusCode());
        BuildRequest lists = submitted.get(1);
        assertEquals(2, lists.logCallbacks().size());
        assertEquals(new CallbackTarget.Kafka(List.of("10.0.0.1:9092"), "buildlogs"), lists.logCallbacks().get(1));
        assertEquals("example.com/org/repo:tag", lists.destination().orElseThrow().reference());

        JsonNode status = json(call("GET", "/v1/shuttle/shop/5f1c0d2e/status", admin, null));
        assertEquals(Json.MAPPER.readTree("{\"id\":\"deploymentt-namespacce\",\"type\":\"octohost\",\"building\":false,\"status\":\"pending\"}"),
                status);
        // the id again: 409, nothing new started
        assertError(409, "a build '5f1c0d2e' of shop exists already", call("POST", "/v1/shuttle/shop/5f1c0d2e", admin, SEED_BODY));
        assertEquals(2, submitted.size());
    }

    @Test
    void aBadBodyIs400NamingTheFieldAndStartsNothing() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"webhooks\":{}}", "source.url: missing");
        bad.put("{\"source\":{\"url\":7}}", "source.url: must be a string");
        bad.put("{\"source\":{\"url\":\"ftp://u:pw@x/y\"}}", "source.url: 'ftp://***@x/y' is not");
        bad.put("{\"source\":{\"url\":\"https://x/a.tgz\"},\"webhooks\":{\"status\":[\"https://x/\",\"gopher://x\"]}}",
                "webhooks.status[1]: 'gopher://x' is not");
        bad.put("{\"source\":{\"url\":\"https://x/a.tgz\"},\"webhooks\":{\"logs\":{\"a\":1}}}", "webhooks.logs: must be a URL or a list");
        bad.put("{\"source\":{\"url\":\"https://x/a.tgz\"},\"destination\":{\"image\":\"https://x/y\"}}", "destination.image: ");
        bad.put("{\"source\":{\"url\":\"https://x/a.tgz\"},\"arguments\":{\"X\":{\"a\":1}}}", "arguments.X: must be a string");
        bad.put("{\"source\":{\"url\":\"https://x/a.tgz\"},\"arguments\":{\"bad-name\":\"1\"}}", "arguments: 'bad-name' is not");
        bad.put("{\"source\":{\"url\":\"https://x/a.tgz\"},\"webhooks\":\"x\"}", "webhooks: must be an object");
        bad.put("[1]", "the body must be a JSON object");
        bad.put("{\"source\":", "the body is not JSON");
        bad.put("", "the body is empty");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertError(400, e.getValue(), call("POST", "/v1/shuttle/shop/b1", admin, e.getKey()));
        }
        assertError(400, "build_id: invalid build id '-x'", call("POST", "/v1/shuttle/shop/-x", admin, SEED_BODY));
        assertError(413, "the body is larger than", call("POST", "/v1/shuttle/shop/b1", admin, "{\"a\":\"" + "x".repeat(Exchange.MAX_BODY) + "\"}"));
        assertError(404, "unknown app 'nope'", call("POST", "/v1/shuttle/nope/b1", admin, SEED_BODY));
        assertEquals(List.of(), submitted, "nothing was started");
    }

    @Test
    void stoppingABuild200ThenNotRunning422AndUnknown404() throws Exception {
        assertEquals(200, call("POST", "/v1/shuttle/shop/b1", admin, SEED_BODY).statusCode());
        HttpResponse<String> stop = call("DELETE", "/v1/shuttle/shop/b1", admin, null);
        assertEquals(200, stop.statusCode(), stop.body());
        assertEquals("OK", json(stop).path("status").asText());
        assertEquals("cancelled", json(call("GET", "/v1/apps/shop/builds/b1", admin, null)).path("status").asText());
        assertError(422, "build b1 is not running", call("DELETE", "/v1/shuttle/shop/b1", admin, null));
        assertError(404, "no build 'b2' of shop", call("DELETE", "/v1/shuttle/shop/b2", admin, null));
        assertError(404, "no build 'b2' of shop", call("GET", "/v1/shuttle/shop/b2/status", admin, null));
        assertError(404, "no build 'b2' of shop", call("DELETE", "/v1/apps/shop/builds/b2", admin, null));
    }

    @Test
    void octodsOwnShapeChoosesTheIdAndListsNewestFirst() throws Exception {
        HttpResponse<String> first = call("POST", "/v1/apps/shop/builds", admin, SEED_BODY);
        assertEquals(202, first.statusCode(), first.body());
        JsonNode build = json(first);
        assertEquals("pending", build.path("status").asText());
        assertEquals("api", build.path("trigger").asText());
        assertEquals("docker://example.com/org/repo:tag", build.path("source").asText(), "no credentials in the record");
        Thread.sleep(5);
        String second = json(call("POST", "/v1/apps/shop/builds", admin, SEED_BODY)).path("id").asText();
        JsonNode list = json(call("GET", "/v1/apps/shop/builds", admin, null));
        assertEquals(List.of(second, build.path("id").asText()), List.of(list.get(0).path("id").asText(), list.get(1).path("id").asText()));
        assertFalse(Files.readString(dir.resolve("builds/shop/" + second + ".json")).contains("pass"));
    }

    @Test
    void aFollowedLogStreamsLinesBeforeTheBuildEnds() throws Exception {
        assertEquals(200, call("POST", "/v1/shuttle/shop/b1", admin, SEED_BODY).statusCode());
        store.appendLog(SHOP, new BuildId("b1"), "step 1");
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/v1/apps/shop/builds/b1/log?follow=1")).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElse(""));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertEquals("step 1", lines.readLine());
            store.appendLog(SHOP, new BuildId("b1"), "step 2");
            assertEquals("step 2", lines.readLine(), "a line written while the build runs arrives while it runs");
            Build b = store.find(SHOP, new BuildId("b1")).orElseThrow();
            store.update(b.to(BuildStatus.BUILDING, java.time.Instant.now(), null).to(BuildStatus.SUCCEEDED, java.time.Instant.now(), null));
            assertEquals(null, lines.readLine(), "the stream ends with the build");
        }
        assertEquals("step 1\nstep 2\n", call("GET", "/v1/shuttle/shop/b1/logs", admin, null).body());
    }

    @Test
    void aFollowedLogOutlivesTheIdleTimeoutWhileTheBuildIsQuiet() throws Exception {
        api.close();
        api = new HttpApi(new InetSocketAddress("127.0.0.1", 0), ApiRoutes.table(new TwoApps(), new RecordingBuilds(), github), tokens,
                java.time.Duration.ofSeconds(3));
        api.start();
        assertEquals(200, call("POST", "/v1/shuttle/shop/quiet", admin, SEED_BODY).statusCode());
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/v1/apps/shop/builds/quiet/log?follow=1")).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            // quiet for twice the idle timeout (which a loaded machine's plain request must not hit, hence seconds)
            Thread.sleep(6000);
            store.appendLog(SHOP, new BuildId("quiet"), "after a quiet while");
            assertEquals("after a quiet while", lines.readLine());
            Build b = store.find(SHOP, new BuildId("quiet")).orElseThrow();
            store.update(b.to(BuildStatus.FAILED, java.time.Instant.now(), "x"));
            assertEquals(null, lines.readLine());
        }
    }

    @Test
    void onlyAnAdminMayBuildFromARepositoryOnOctodsHost() throws Exception {
        String local = "{\"source\": {\"url\": \"git+file:///var/lib/octod/repos/blog.git#master\"}}";
        assertError(403, "permission denied: token 'shop-ci' may not build from a repository on octod's host (git+file://)",
                call("POST", "/v1/apps/shop/builds", shopDeploy, local));
        assertEquals(List.of(), submitted, "nothing was started");
        assertEquals(202, call("POST", "/v1/apps/shop/builds", shopDeploy,
                "{\"source\": {\"url\": \"git+https://git.example.com/shop.git#main\"}}").statusCode());
        assertEquals(202, call("POST", "/v1/apps/shop/builds", admin, local).statusCode());
        assertEquals(2, submitted.size());
    }

    @Test
    void aStateStoreThatCannotBeReachedIs503WorthARetryNotABadRequest() throws Exception {
        api.close();
        int nobody;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = free.getLocalPort();
        }
        try (ConsulStateStore down = new ConsulStateStore(URI.create("http://127.0.0.1:" + nobody), Optional.empty())) {
            api = new HttpApi(new InetSocketAddress("127.0.0.1", 0), ApiRoutes.table(new TwoApps(), new RecordingBuilds(), github),
                    new Tokens(down, Clock.systemUTC()));
            api.start();
            assertError(503, "state store unavailable: ", call("GET", "/v1/apps", admin, null));
            assertError(503, "state store unavailable: ", call("POST", "/v1/shuttle/shop/b1", shopDeploy, SEED_BODY));
            assertEquals(200, call("GET", "/v1/openapi.json", null, null).statusCode(), "what needs no state still answers");
        }
    }

    @Test
    void aRequestJettyRefusesItselfIsAnsweredInJsonToo() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.getOutputStream().write("GET /v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("Content-Type: application/json"), answer);
            assertTrue(answer.contains("{\"error\":"), answer);
        }
    }

    @Test
    void unknownPathsAndMethodsAnswerJson() throws Exception {
        assertError(404, "no such endpoint: GET /v2/x", call("GET", "/v2/x", admin, null));
        assertError(404, "no such endpoint", call("GET", "/", null, null));
        HttpResponse<String> put = call("PUT", "/v1/apps/shop", admin, "{}");
        assertError(405, "PUT is not allowed on /v1/apps/shop", put);
        assertEquals("GET", put.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void aUserLogsInForATokenThatActsAsTheUserAndFailedLoginsAreLoggedWithoutThePasswordAndLimited() throws Exception {
        String password = "planted-secret-login-pw";
        users.add("alice@example.com", Role.DEPLOY, Set.of(SHOP), "right-password-1");
        try (LogCapture log = new LogCapture(LoginEndpoints.class)) {
            HttpResponse<String> ok = call("POST", "/v1/login", null, "{\"email\": \"alice@example.com\", \"password\": \"right-password-1\"}");
            assertEquals(200, ok.statusCode(), ok.body());
            String token = json(ok).path("token").asText();
            assertTrue(token.startsWith("oct_") && json(ok).path("expires").asText().startsWith("20"), ok.body());
            // the token is the user: limited to shop, refused other apps
            assertEquals(200, call("GET", "/v1/apps/shop", token, null).statusCode());
            assertEquals(403, call("GET", "/v1/apps/other", token, null).statusCode());
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> wrong = call("POST", "/v1/login", null, "{\"email\": \"alice@example.com\", \"password\": \"" + password + "\"}");
                assertError(401, "wrong email or password", wrong);
            }
            HttpResponse<String> limited = call("POST", "/v1/login", null, "{\"email\": \"alice@example.com\", \"password\": \"right-password-1\"}");
            assertError(429, "too many failed logins", limited);
            assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()) > 0, limited.headers().toString());
            assertTrue(log.text().contains("failed login of alice@example.com from 127.0.0.1"), log.text());
            assertFalse(log.text().contains(password) || log.text().contains("right-password-1") || log.text().contains(token.substring(4)), log.text());
            // logout revokes the token
            assertEquals(200, call("DELETE", "/v1/login", token, null).statusCode());
            assertEquals(401, call("GET", "/v1/apps/shop", token, null).statusCode());
        }
    }
}
