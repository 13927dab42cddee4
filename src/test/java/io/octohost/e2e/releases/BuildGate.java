package io.octohost.e2e.releases;

import com.sun.net.httpserver.HttpServer;
import io.octohost.e2e.Await;
import io.octohost.e2e.Proc;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Gates a build step can wait at until the test opens them, so that a scenario acts while a build is
 * surely running (a second push arrives while the first holds the app; two builds are in their RUN
 * steps at once) instead of guessing how long a build takes. A gate is an HTTP server on the Docker
 * bridge's gateway, which build containers reach; {@link #step(String)} is the shell command of a
 * RUN line that waits at a named gate. A gate nobody opens lets its step go after two minutes.
 */
final class BuildGate implements AutoCloseable {
    private static final long GIVE_UP_SECONDS = 120;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> opened = new ConcurrentHashMap<>();

    private BuildGate(String address) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the Docker bridge's gateway " + address, e);
        }
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            arrival(name).countDown();
            boolean open;
            try {
                open = gate(name).await(GIVE_UP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                open = false;
            }
            byte[] body = ((open ? "gate open: " : "gate never opened: ") + name + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Listens on the gateway of Docker's default bridge (where a build's RUN step reaches the host). */
    static BuildGate start() {
        String gateway = Proc.of("docker", "network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}")
                .run().orFail().trimmed();
        return new BuildGate(gateway);
    }

    /** A shell command for a RUN line: waits at gate {@code name} and prints what the gate said (busybox nc). */
    String step(String name) {
        InetSocketAddress a = server.getAddress();
        return "printf 'GET /" + name + " HTTP/1.0\\r\\n\\r\\n' | nc " + a.getAddress().getHostAddress() + " " + a.getPort();
    }

    /** Waits until a build's step has reached gate {@code name}. */
    void awaitArrival(String name, Duration timeout) {
        Await.until("a build step waits at gate " + name, timeout, () -> arrival(name).getCount() == 0);
    }

    void open(String name) {
        gate(name).countDown();
    }

    private CountDownLatch arrival(String name) {
        return arrived.computeIfAbsent(name, k -> new CountDownLatch(1));
    }

    private CountDownLatch gate(String name) {
        return opened.computeIfAbsent(name, k -> new CountDownLatch(1));
    }

    /** Opens every gate, so no build is left waiting, and stops. */
    @Override
    public void close() {
        opened.values().forEach(CountDownLatch::countDown);
        server.stop(1);
        handlers.shutdownNow();
    }
}
