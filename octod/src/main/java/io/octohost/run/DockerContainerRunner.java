package io.octohost.run;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.ContainerSpec;
import io.octohost.app.HealthCheck;
import io.octohost.app.UserError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs app containers on the Docker engine, labelled so they are found again by label alone. */
public final class DockerContainerRunner implements ContainerRunner {
    public static final String APP_LABEL = "octohost.app";
    public static final String COMMIT_LABEL = "octohost.commit";
    public static final String INSTANCE_LABEL = "octohost.instance";
    public static final String PORT_LABEL = "octohost.port";
    public static final String RELEASE_LABEL = "octohost.release";
    private static final Duration POLL = Duration.ofMillis(25);

    private final DockerClient docker;
    private final String instanceId;

    public DockerContainerRunner(DockerClient docker, String instanceId) {
        this.docker = docker;
        this.instanceId = instanceId;
    }

    @Override
    public Backend start(ContainerSpec spec) {
        Map<String, String> labels = new HashMap<>();
        labels.put(APP_LABEL, spec.app().value());
        labels.put(COMMIT_LABEL, spec.commit().sha());
        labels.put(INSTANCE_LABEL, instanceId);
        labels.put(RELEASE_LABEL, Integer.toString(spec.release()));
        // an init as PID 1 passes SIGTERM on and reaps zombies: apps stop when asked, not after the timeout
        HostConfig host = HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.unlessStoppedRestart()).withInit(true);
        spec.memoryLimitBytes().ifPresent(host::withMemory);
        CreateContainerCmd create = docker.createContainerCmd(spec.image()).withName(spec.name()).withEnv(spec.envList());
        if (spec.port().isPresent()) {
            ExposedPort port = ExposedPort.tcp(spec.port().getAsInt());
            Ports bindings = new Ports();
            bindings.bind(port, Ports.Binding.bindIp("127.0.0.1"));
            host.withPortBindings(bindings);
            create.withExposedPorts(port);
            labels.put(PORT_LABEL, Integer.toString(port.getPort()));
        }
        String id = create.withLabels(labels).withHostConfig(host).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            return backendOf(docker.inspectContainerCmd(id).exec(), spec.port().orElse(0));
        } catch (RuntimeException e) {
            remove(id);
            throw new UserError("cannot start a container of " + spec.app() + ": " + e.getMessage(), e);
        }
    }

    private static Backend backendOf(InspectContainerResponse inspect, int containerPort) {
        int hostPort = 0;
        if (containerPort > 0) {
            Ports.Binding[] bound = inspect.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
            if (bound != null && bound.length > 0) {
                hostPort = Integer.parseInt(bound[0].getHostPortSpec());
            }
        }
        return new Backend(inspect.getId(), inspect.getName().replaceFirst("^/", ""), ipOf(inspect), containerPort, hostPort);
    }

    private static String ipOf(InspectContainerResponse inspect) {
        String ip = inspect.getNetworkSettings().getIpAddress();
        if (ip != null && !ip.isEmpty()) {
            return ip;
        }
        Map<String, ContainerNetwork> networks = inspect.getNetworkSettings().getNetworks();
        return networks == null ? "" : networks.values().stream().map(ContainerNetwork::getIpAddress)
                .filter(a -> a != null && !a.isEmpty()).findFirst().orElse("");
    }

    @Override
    public void awaitReady(Backend backend, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(backend.containerId()).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting())) {
                throw new UserError("container " + backend.containerName() + " exited with code " + state.getExitCodeLong()
                        + lastOutput(backend.containerId()));
            }
            if (backend.containerPort() == 0 || accepts(backend)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new UserError("container " + backend.containerName() + " did not open port " + backend.containerPort()
                        + " within " + timeout.toSeconds() + " s" + lastOutput(backend.containerId()));
            }
            sleep(POLL);
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
                            new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8).lines()
                                    .map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            return "";
        }
        return lines.isEmpty() ? "" : "; its last output: " + String.join(" | ", lines);
    }

    @Override
    public void stop(String containerId, Duration timeout) {
        try {
            docker.stopContainerCmd(containerId).withTimeout((int) Math.max(0, timeout.toSeconds())).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (com.github.dockerjava.api.exception.NotModifiedException e) {
            // already stopped
        }
        remove(containerId);
    }

    @Override
    public void checkHealth(Backend backend, HealthCheck check) {
        String url = "http://" + backend.containerIp() + ":" + backend.containerPort() + check.path();
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().connectTimeout(check.timeout()).build();
        String last = "no answer";
        for (int attempt = 1; attempt <= check.attempts(); attempt++) {
            try {
                java.net.http.HttpResponse<String> response = client.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(check.timeout()).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
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

    @Override
    public void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone: the goal is reached
        }
    }

    @Override
    public void logs(String containerId, int tail, boolean follow, java.util.function.Consumer<byte[]> sink) {
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                try {
                    sink.accept(frame.getPayload());
                } catch (RuntimeException e) {
                    onError(e);
                }
            }
        };
        var cmd = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow);
        if (tail >= 0) {
            cmd.withTail(tail);
        }
        try {
            cmd.exec(callback).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                callback.close();
            } catch (IOException e) {
                // closing a finished stream
            }
        }
    }

    @Override
    public List<AppContainer> list() {
        List<Container> found = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(INSTANCE_LABEL, instanceId)).exec();
        List<AppContainer> result = new ArrayList<>();
        for (Container c : found) {
            String app = c.getLabels().get(APP_LABEL);
            if (app == null) {
                continue;
            }
            boolean running = "running".equals(c.getState());
            Optional<Backend> backend = Optional.empty();
            String port = c.getLabels().get(PORT_LABEL);
            if (running && port != null) {
                try {
                    backend = Optional.of(backendOf(docker.inspectContainerCmd(c.getId()).exec(), Integer.parseInt(port)));
                } catch (NotFoundException e) {
                    continue;
                }
            }
            String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
            int release = Integer.parseInt(c.getLabels().getOrDefault(RELEASE_LABEL, "0"));
            result.add(new AppContainer(AppName.of(app), release, c.getId(), name, c.getLabels().get(COMMIT_LABEL), running, backend));
        }
        return result;
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
