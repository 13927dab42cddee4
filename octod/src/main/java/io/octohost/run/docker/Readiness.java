package io.octohost.run.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import io.octohost.app.Backend;
import io.octohost.app.HealthCheck;
import io.octohost.app.UserError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Whether a new container is fit to take traffic: still running, listening, and answering its health check. */
final class Readiness {
    private static final Duration KNOCK = Duration.ofMillis(3);
    private static final Duration LOOK = Duration.ofMillis(100);
    /** How long a container no one reaches must keep running to count as started. */
    static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Duration SETTLE_POLL = Duration.ofMillis(100);
    private final DockerClient docker;

    Readiness(DockerClient docker) {
        this.docker = docker;
    }

    /**
     * Waits until the container is still running and its own address accepts a TCP connection;
     * returns it as inspected then. Nothing but the container's own address is ever probed: a
     * container without one (it died) is never taken for one that listens.
     */
    Backend awaitListening(Backend started, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InspectContainerResponse inspect = docker.inspectContainerCmd(started.containerId()).exec();
            InspectContainerResponse.ContainerState state = inspect.getState();
            checkRunning(started, state);
            Backend backend = DockerContainerRunner.backendOf(inspect, started.containerPort());
            if (backend.containerPort() == 0 || knocked(backend)) {
                return backend;
            }
            if (System.nanoTime() > deadline) {
                throw new UserError("container " + backend.containerName() + " did not open port " + backend.containerPort()
                        + " within " + timeout.toSeconds() + " s" + lastOutput(backend.containerId()));
            }
        }
    }

    /**
     * Tries its own address (if it has one yet) every few ms until the next look at its state: an app
     * is taken the moment it listens, and Docker is asked only now and then whether it still runs.
     */
    private static boolean knocked(Backend backend) {
        long nextLook = System.nanoTime() + LOOK.toNanos();
        do {
            if (!backend.containerIp().isEmpty() && accepts(backend)) {
                return true;
            }
            sleep(KNOCK);
        } while (System.nanoTime() < nextLook);
        return false;
    }

    /**
     * A container that is not reached (a process type other than web): fit when it still runs
     * {@link #SETTLE} (at most the ready timeout) after {@code startedNanos}, when it was started
     * ({@link System#nanoTime()}), so that one that exits at once fails the deploy.
     */
    Backend awaitSettled(Backend started, long startedNanos, Duration timeout) {
        long deadline = startedNanos + Math.min(SETTLE.toNanos(), timeout.toNanos());
        while (true) {
            InspectContainerResponse inspect = docker.inspectContainerCmd(started.containerId()).exec();
            checkRunning(started, inspect.getState());
            if (System.nanoTime() > deadline) {
                return DockerContainerRunner.backendOf(inspect, 0);
            }
            sleep(SETTLE_POLL);
        }
    }

    private void checkRunning(Backend started, InspectContainerResponse.ContainerState state) {
        if (!Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting())) {
            throw new UserError("container " + started.containerName() + " exited with code " + state.getExitCodeLong()
                    + (Boolean.TRUE.equals(state.getOOMKilled()) ? " (out of memory: MEMORY_LIMIT)" : "")
                    + lastOutput(started.containerId()));
        }
    }

    private static boolean accepts(Backend backend) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(backend.containerIp(), backend.containerPort()), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The container's last lines of output, to explain why it failed. */
    private String lastOutput(String id) {
        List<String> lines = new ArrayList<>();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(5)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            new String(frame.getPayload(), StandardCharsets.UTF_8).lines()
                                    .map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            return "";
        }
        return lines.isEmpty() ? "" : "; its last output: " + String.join(" | ", lines);
    }

    /** Asks the app over HTTP until it answers 2xx or 3xx; fails with the last answer when every attempt fails. */
    void checkHealth(Backend backend, HealthCheck check) {
        String url = "http://" + backend.containerIp() + ":" + backend.containerPort() + check.path();
        HttpClient client = HttpClient.newBuilder().connectTimeout(check.timeout()).build();
        String last = "no answer";
        for (int attempt = 1; attempt <= check.attempts(); attempt++) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(check.timeout())
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 200 && response.statusCode() < 400) {
                    return;
                }
                String body = response.body().lines().findFirst().orElse("").strip();
                last = "HTTP " + response.statusCode() + (body.isEmpty() ? "" : " " + (body.length() > 120 ? body.substring(0, 120) : body));
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted");
            }
            if (attempt < check.attempts()) {
                sleep(check.interval());
            }
        }
        throw new UserError("health check of " + backend.containerName() + " failed: GET " + check.path() + " -> " + last
                + " (after " + check.attempts() + " attempts)");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }
}
