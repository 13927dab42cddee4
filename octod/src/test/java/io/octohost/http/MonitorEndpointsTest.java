package io.octohost.http;

import com.fasterxml.jackson.databind.node.NullNode;
import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.BuildStatus;
import io.octohost.auth.Tokens;
import io.octohost.builds.Build;
import io.octohost.builds.BuildEvents;
import io.octohost.builds.BuildRequest;
import io.octohost.builds.BuildService;
import io.octohost.builds.BuildStore;
import io.octohost.builds.Trigger;
import io.octohost.state.FileStateStore;
import io.octohost.state.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor page's endpoints over a real Jetty and a real HTTP client: the page and its files come
 * without a token and may run no inline script; {@code GET /v1/events} streams the records of the apps
 * the token may read, as the build store changes them, and nothing of the others. The page in a real
 * browser against a real octod: e2e {@code MonitorPageTest}.
 */
class MonitorEndpointsTest {
    private static final AppName SHOP = AppName.of("shop");
    private static final AppName BLOG = AppName.of("blog");
    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private BuildStore store;
    private Tokens tokens;
    private HttpApi api;
    private String admin;
    private String shopDeploy;

    /** Streams watching the store now. */
    private final java.util.concurrent.atomic.AtomicInteger watching = new java.util.concurrent.atomic.AtomicInteger();

    /** Only what the events endpoint asks of builds: watching the store (counted). */
    private final class WatchedStore implements BuildService {
        @Override
        public BuildEvents.Watch watch(Consumer<Build> watcher) {
            BuildEvents.Watch watch = store.events().watch(watcher);
            watching.incrementAndGet();
            return () -> {
                watch.close();
                watching.decrementAndGet();
            };
        }

        @Override
        public Build submit(BuildRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Build cancel(AppName app, BuildId id, String by) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Build> find(AppName app, BuildId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Build> list(AppName app) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forget(AppName app) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeLog(AppName app, BuildId id, boolean follow, OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<io.octohost.builds.BuildArtifacts.Artifact> artifacts(AppName app, BuildId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.octohost.builds.BuildArtifacts.Artifact artifact(AppName app, BuildId id, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeArtifact(AppName app, BuildId id, String name, OutputStream out) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeEach
    void start() throws Exception {
        tokens = new Tokens(new FileStateStore(dir.resolve("state")), Clock.systemUTC());
        admin = tokens.create("ops", Role.ADMIN, Set.of());
        shopDeploy = tokens.create("shop-ci", Role.DEPLOY, Set.of(SHOP));
        store = new BuildStore(dir.resolve("builds"), 50, 1 << 20, Clock.systemUTC());
        api = new HttpApi(new InetSocketAddress("127.0.0.1", 0), new MonitorEndpoints(new WatchedStore()).routes(), tokens);
        api.start();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void thePageAndItsFilesNeedNoTokenAndMayRunNoInlineScript() throws Exception {
        for (String path : List.of("/monitor", "/monitor/monitor.js", "/monitor/monitor.css")) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path);
            String policy = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), policy);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        }
        String page = client.send(HttpRequest.newBuilder(URI.create(base() + "/monitor")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("<script src=\"monitor/monitor.js\"") && !page.contains("<script>"), page);
    }

    @Test
    void eventsNeedAToken() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/v1/events")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
    }

    @Test
    void aTokenLimitedToOneAppGetsThatAppsBuildsAsTheyChangeAndNoneOfAnotherApps() throws Exception {
        BlockingQueue<String> shopOnly = follow(shopDeploy);
        BlockingQueue<String> all = follow(admin);
        Build blog = store.create(Build.pending(new BuildId("b-1"), BLOG, Trigger.API, "ops", "image x", Instant.now(), NullNode.getInstance(), null));
        Build shop = store.create(Build.pending(new BuildId("s-1"), SHOP, Trigger.API, "ops", "image y", Instant.now(), NullNode.getInstance(), null));
        store.update(shop.to(BuildStatus.BUILDING, Instant.now(), null));
        store.update(blog.to(BuildStatus.FAILED, Instant.now(), "no"));

        // in the order stored: a blog record before them would have come first
        assertEquals(List.of("shop/s-1 pending", "shop/s-1 building"), events(shopOnly, 2));
        assertEquals(List.of("blog/b-1 pending", "shop/s-1 pending", "shop/s-1 building", "blog/b-1 failed"), events(all, 4));
        store.update(store.find(SHOP, new BuildId("s-1")).orElseThrow().to(BuildStatus.SUCCEEDED, Instant.now(), null));
        assertEquals(List.of("shop/s-1 succeeded"), events(shopOnly, 1), "not the blog's failure");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aStreamEndsAfterItsLifetimeSoThatARevokedTokensStreamEnds() throws Exception {
        api.close();
        api = new HttpApi(new InetSocketAddress("127.0.0.1", 0), new MonitorEndpoints(new WatchedStore(), Duration.ofSeconds(2)).routes(), tokens);
        api.start();
        HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/v1/events"))
                .header("Authorization", "Bearer " + shopDeploy).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        tokens.revoke("shop-ci");
        long start = System.nanoTime();
        assertEquals(List.of(": build events of the apps this token may read", ""), r.body().toList(), "the stream ends");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30);
        HttpResponse<String> again = client.send(HttpRequest.newBuilder(URI.create(base() + "/v1/events"))
                .header("Authorization", "Bearer " + shopDeploy).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, again.statusCode(), "the page's next connection");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aClientThatLeavesEndsItsStreamQuietly() throws Exception {
        try (io.octohost.LogCapture log = new io.octohost.LogCapture(ApiServlet.class)) {
            api.close();
            api = new HttpApi(new InetSocketAddress("127.0.0.1", 0), new MonitorEndpoints(new WatchedStore(), Duration.ofSeconds(30)).routes(), tokens);
            api.start();
            HttpResponse<java.io.InputStream> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/v1/events"))
                    .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            r.body().close(); // the page went away
            // the next record (or heartbeat) finds the client gone: the stream ends and stops watching
            while (watching.get() > 0) {
                store.create(Build.pending(BuildId.random(), SHOP, Trigger.API, "ops", "image y", Instant.now(), NullNode.getInstance(), null));
                Thread.sleep(100);
            }
            assertTrue(log.lines().stream().noneMatch(l -> l.contains("ERROR") || l.contains("failed")), log.text());
        }
    }

    /** Opens the event stream with the token; its lines, as they come. */
    private BlockingQueue<String> follow(String token) throws Exception {
        HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/v1/events"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                r.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException e) {
                // the server stopped after the test
            }
        }, "events-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The next {@code n} build events as "app/id status". */
    private static List<String> events(BlockingQueue<String> lines, int n) throws Exception {
        List<String> events = new ArrayList<>();
        String type = null;
        while (events.size() < n) {
            String line = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(line, "no event within 30 s; had " + events);
            if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                assertEquals("build", type);
                var record = io.octohost.app.Json.MAPPER.readTree(line.substring(6));
                events.add(record.path("app").asText() + "/" + record.path("id").asText() + " " + record.path("status").asText());
            }
        }
        return events;
    }

    private String base() {
        return "http://127.0.0.1:" + api.port();
    }
}
