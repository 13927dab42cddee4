package io.octohost.e2e.releases;

import io.octohost.e2e.Await;
import io.octohost.e2e.Proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A real registry: Debian's {@code docker-registry} (distribution 2.x), run as a child process on a
 * free loopback port, with htpasswd (bcrypt) auth and its storage in a temp dir. Docker talks plain
 * HTTP to registries on 127.0.0.0/8 without any daemon setting.
 */
public final class RegistryServer implements AutoCloseable {
    static final String BINARY = "/usr/bin/docker-registry";
    static final String HTPASSWD = "/usr/bin/htpasswd";

    private final Path dir;
    private final int port;
    private Process process;

    private RegistryServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Installs docker-registry and apache2-utils (htpasswd) with apt-get when they are missing. */
    public static void ensureInstalled() {
        if (Files.isExecutable(Path.of(BINARY)) && Files.isExecutable(Path.of(HTPASSWD))) return;
        // policy-rc.d keeps the package's postinst from starting the system service (as scripts/lib.sh does for nginx)
        String script = String.join("\n",
                "set -e",
                "export DEBIAN_FRONTEND=noninteractive",
                "policy=/usr/sbin/policy-rc.d; made=",
                "if [ ! -e $policy ]; then printf '#!/bin/sh\\nexit 101\\n' > $policy && chmod +x $policy && made=1; fi",
                "rc=0",
                "apt-get install -y -qq docker-registry apache2-utils || { apt-get update -qq && apt-get install -y -qq docker-registry apache2-utils; } || rc=$?",
                "if [ -n \"$made\" ]; then rm -f $policy; fi",
                "exit $rc");
        Proc.Result r = Proc.of("bash", "-c", script).timeout(Duration.ofMinutes(5)).run();
        if (!r.ok() || !Files.isExecutable(Path.of(BINARY)) || !Files.isExecutable(Path.of(HTPASSWD))) {
            throw new IllegalStateException("cannot install docker-registry and apache2-utils:\n" + r.describe());
        }
    }

    /** Starts a registry on 127.0.0.1:port with its files in {@code dir} (storage, config, htpasswd), knowing one user. */
    public static RegistryServer start(Path dir, int port, String user, String password) {
        RegistryServer registry = new RegistryServer(dir, port);
        registry.setPassword(user, password);
        registry.startProcess();
        return registry;
    }

    /** Rewrites the htpasswd file; takes effect at the next {@link #restart()}. */
    public void setPassword(String user, String password) {
        Proc.Result r = Proc.of(HTPASSWD, "-Bbn", user, password).timeout(Duration.ofSeconds(30)).run().orFail();
        try {
            Files.createDirectories(dir.resolve("storage"));
            Files.writeString(dir.resolve("htpasswd"), r.output().strip() + "\n");
            Files.writeString(dir.resolve("config.yml"), String.join("\n",
                    "version: 0.1",
                    "log:",
                    "  level: info",
                    "storage:",
                    "  filesystem:",
                    "    rootdirectory: " + dir.resolve("storage"),
                    "http:",
                    "  addr: 127.0.0.1:" + port,
                    "  secret: octohost-e2e-not-a-secret",
                    "auth:",
                    "  htpasswd:",
                    "    realm: octohost-e2e",
                    "    path: " + dir.resolve("htpasswd"),
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(BINARY, "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        try {
            Await.until("docker-registry listens on 127.0.0.1:" + port, Duration.ofSeconds(30), () -> accepts() || !started.isAlive());
        } catch (AssertionError e) {
            throw new IllegalStateException(e.getMessage() + "; its log:\n" + log(), e);
        }
        if (!started.isAlive()) throw new IllegalStateException("docker-registry exited; its log:\n" + log());
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the registry and starts it again with the current config and htpasswd; the storage stays. */
    public void restart() {
        stop();
        startProcess();
    }

    /** {@code 127.0.0.1:PORT}, for --registry. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The status of {@code GET /v2/NAME/manifests/REF} with basic auth and the schema 2 media type. */
    public int manifestStatus(String name, String reference, String user, String password) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/" + name + "/manifests/" + reference))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json")
                .GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.exists(dir.resolve("registry.log")) ? Files.readString(dir.resolve("registry.log")) : "";
        } catch (IOException e) {
            return "(cannot read the registry log: " + e + ")";
        }
    }

    private void stop() {
        if (process == null) return;
        Proc.stop(process, Duration.ofSeconds(10));
        process = null;
    }

    @Override
    public void close() {
        stop();
    }
}
