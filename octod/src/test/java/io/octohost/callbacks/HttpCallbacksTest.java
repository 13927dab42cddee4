package io.octohost.callbacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.octohost.Await;
import io.octohost.LogCapture;
import io.octohost.app.BuildStatus;
import io.octohost.app.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Status and log callbacks received by real HTTP servers in the test: the JDK's for statuses, Jetty's
 * for the log stream (the JDK's server hands a chunk over only once the next one starts, which would
 * hide whether lines are sent as they are written; Jetty's, like Node's, hands over what arrived).
 */
class HttpCallbacksTest {
    private static final List<BuildStatus> A_BUILD = List.of(BuildStatus.PENDING, BuildStatus.QUEUED, BuildStatus.BUILDING,
            BuildStatus.SUCCEEDED);
    private HttpServer receiver;
    private Server logReceiver;
    private Callbacks callbacks;
    /** What the receiver got: "path auth body", in arrival order. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    /** Held closed, the status receivers answer nothing until it opens: what returns meanwhile did not wait for them. */
    private volatile CountDownLatch receiversHeld = new CountDownLatch(0);
    /** The log stream's lines, each with the time it arrived, and the request's transfer encoding. */
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final List<Long> logArrivals = new CopyOnWriteArrayList<>();
    private volatile String logEncoding;
    private volatile String logAuth;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/status", this::status);
        receiver.createContext("/failing", ex -> {
            awaitReceiversReleased();
            answer(ex, 500);
        });
        receiver.start();
        logReceiver = new Server();
        ServerConnector connector = new ServerConnector(logReceiver);
        connector.setHost("127.0.0.1");
        logReceiver.addConnector(connector);
        logReceiver.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                logEncoding = request.getHeaders().get(HttpHeader.TRANSFER_ENCODING);
                logAuth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
                BufferedReader in = new BufferedReader(new InputStreamReader(Content.Source.asInputStream(request), StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    logArrivals.add(System.nanoTime());
                    logLines.add(line);
                }
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        logReceiver.start();
        callbacks = new Callbacks(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        callbacks.close();
        receiver.stop(0);
        logReceiver.stop();
    }

    private String url(String userInfo, String path) {
        int port = path.equals("/logs") ? ((ServerConnector) logReceiver.getConnectors()[0]).getLocalPort() : receiver.getAddress().getPort();
        return "http://" + userInfo + "127.0.0.1:" + port + path;
    }

    private void status(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        int code;
        try {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            awaitReceiversReleased();
            Thread.sleep(30);
            if (failuresLeft.getAndDecrement() > 0) {
                code = 503;
            } else {
                received.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization") + " " + body);
                code = 200;
            }
        } catch (InterruptedException e) {
            code = 500;
        } finally {
            // out of flight before the answer: the sender may send the next request the moment it has it
            inFlight.decrementAndGet();
        }
        answer(ex, code);
    }

    private void awaitReceiversReleased() {
        try {
            receiversHeld.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange ex, int code) throws IOException {
        ex.sendResponseHeaders(code, -1);
        ex.close();
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachStatusReachesEachUrlInOrderOneAtATimeWithBasicAuthFromTheUrl() throws Exception {
        JsonNode metadata = Json.MAPPER.readTree("{\"ns\":\"deploymentt-namespacce\"}");
        BuildCallbacks build = callbacks.open("shop/b1", metadata,
                List.of(CallbackTarget.parse(url("user:pa%3Ass@", "/status/a")), CallbackTarget.parse(url("tok@", "/status/b"))), List.of());
        receiversHeld = new CountDownLatch(1);
        // a status() that waited for its receiver would never return while they are held
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> A_BUILD.forEach(build::status));
        assertTrue(received.isEmpty(), "status() queued and returned while no receiver had answered");
        receiversHeld.countDown();
        build.close();
        assertTrue(build.awaitDelivered(Duration.ofSeconds(30)));
        List<String> expected = new ArrayList<>();
        for (BuildStatus s : A_BUILD) {
            String body = "{\"id\":{\"ns\":\"deploymentt-namespacce\"},\"type\":\"octohost\",\"building\":" + s.building()
                    + ",\"status\":\"" + s.label() + "\"}";
            expected.add("/status/a " + basic("user:pa:ss") + " " + body);
            expected.add("/status/b " + basic("tok:") + " " + body);
        }
        assertEquals(expected, received);
        assertEquals(1, mostAtOnce.get(), "never two at once for one build");
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffThenGivenUpAndLoggedWithoutCredentials() throws Exception {
        failuresLeft.set(2);
        try (LogCapture log = new LogCapture(BuildCallbacks.class)) {
            BuildCallbacks build = callbacks.open("shop/b2", TextNode.valueOf("m"), List.of(CallbackTarget.parse(url("u:hunter2@", "/status"))),
                    List.of());
            build.status(BuildStatus.PENDING);
            Await.until("the third attempt to be taken", Duration.ofSeconds(10), () -> received.size() == 1);
            assertTrue(received.get(0).contains("\"status\":\"pending\""));
            assertEquals(2, log.lines().stream().filter(l -> l.contains("failed (answered HTTP 503), retrying")).count(), log.text());
            build.close();
        }
        Callbacks quick = new Callbacks(Duration.ofMillis(1200));
        try (LogCapture log = new LogCapture(BuildCallbacks.class)) {
            BuildCallbacks build = quick.open("shop/b3", TextNode.valueOf("m"), List.of(CallbackTarget.parse(url("u:hunter2@", "/failing"))),
                    List.of());
            receiversHeld = new CountDownLatch(1);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> A_BUILD.forEach(build::status));
            assertEquals(0, log.lines().stream().filter(l -> l.contains("given up after")).count(),
                    "status() returned before a failing receiver had answered once: it never holds up the build");
            receiversHeld.countDown();
            build.close();
            assertTrue(build.awaitDelivered(Duration.ofSeconds(20)));
            assertEquals(4, log.lines().stream().filter(l -> l.contains("given up after")).count(), log.text());
            assertTrue(log.text().contains("to " + url("", "/failing")), log.text());
            assertFalse(log.text().contains("hunter2"), log.text());
        } finally {
            quick.close();
        }
    }

    @Test
    void theLogIsOnePostStreamedLineByLineWhileTheBuildRuns() throws Exception {
        BuildCallbacks build = callbacks.open("shop/b4", TextNode.valueOf("m"), List.of(),
                List.of(CallbackTarget.parse(url("user:pass@", "/logs"))));
        List<Long> written = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            written.add(System.nanoTime());
            build.line("Step " + i + "/3");
            int n = i;
            // the next line is written only once this one has arrived: lines held back until the end would never arrive
            Await.until("line " + n + " at the receiver", Duration.ofSeconds(30), () -> logLines.size() == n);
            Thread.sleep(200);
        }
        long ended = System.nanoTime();
        build.close();
        Await.until("the log request to end", Duration.ofSeconds(30), () -> logEncoding != null && logLines.size() == 3);
        assertTrue(build.awaitDelivered(Duration.ofSeconds(30)));
        assertEquals(List.of("Step 1/3", "Step 2/3", "Step 3/3"), logLines);
        assertEquals("chunked", logEncoding);
        assertEquals(basic("user:pass"), logAuth);
        for (int i = 0; i < 3; i++) {
            assertTrue(logArrivals.get(i) < ended, "line " + (i + 1) + " arrived before the build ended");
        }
        System.out.printf("log lines arrived %.1f, %.1f, %.1f ms after they were written; the build ended %.1f ms after the first%n",
                (logArrivals.get(0) - written.get(0)) / 1e6, (logArrivals.get(1) - written.get(1)) / 1e6,
                (logArrivals.get(2) - written.get(2)) / 1e6, (ended - written.get(0)) / 1e6);
    }

    @Test
    void anUnreachableLogReceiverNeverHoldsUpTheBuild() throws Exception {
        String nowhere = url("user:pass@", "/logs");
        logReceiver.stop();
        try (LogCapture log = new LogCapture(HttpLogSink.class)) {
            BuildCallbacks build = callbacks.open("shop/b5", TextNode.valueOf("m"), List.of(), List.of(CallbackTarget.parse(nowhere)));
            long t0 = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                build.line("line " + i);
            }
            build.close();
            // 20000 lines queued in memory take milliseconds; only a build held up by the network takes minutes
            assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "20000 lines to nowhere took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertTrue(build.awaitDelivered(Duration.ofSeconds(15)));
            Await.until("the failure logged", Duration.ofSeconds(30), () -> log.text().contains("failed"));
            assertFalse(log.text().contains("pass"), log.text());
        }
    }
}
