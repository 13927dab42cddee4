package io.octohost.run;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.HealthCheck;
import io.octohost.app.Labels;
import io.octohost.app.Progress;
import io.octohost.app.RunSpec;
import io.octohost.app.UserError;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Runs app instances as containers on the Docker engine, labelled so they are found again by label alone. */
public final class DockerContainerRunner implements ContainerRunner {
    private final DockerClient docker;
    private final String instanceId;
    private final Readiness readiness;

    public DockerContainerRunner(DockerClient docker, String instanceId) {
        this.docker = docker;
        this.instanceId = instanceId;
        this.readiness = new Readiness(docker);
    }

    @Override
    public List<Backend> start(RunSpec spec, Progress progress) {
        List<Backend> started = new ArrayList<>();
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        try {
            for (int i = 1; i <= spec.instances(); i++) {
                Backend backend = startOne(spec, spec.app() + "." + stamp + "." + i);
                started.add(backend);
                progress.line("started " + backend.containerName() + " (" + backend.shortId() + ")");
            }
            return started;
        } catch (RuntimeException e) {
            started.forEach(b -> remove(b.containerId()));
            throw e;
        }
    }

    private Backend startOne(RunSpec spec, String name) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Labels.APP, spec.app().value());
        labels.put(Labels.COMMIT, spec.commit().sha());
        labels.put(Labels.INSTANCE, instanceId);
        labels.put(Labels.RELEASE, Integer.toString(spec.release()));
        // an init as PID 1 passes SIGTERM on and reaps zombies: apps stop when asked, not after the timeout
        HostConfig host = HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.unlessStoppedRestart()).withInit(true);
        spec.memoryLimitBytes().ifPresent(host::withMemory);
        CreateContainerCmd create = docker.createContainerCmd(spec.image()).withName(name).withEnv(spec.envList());
        if (spec.port().isPresent()) {
            ExposedPort port = ExposedPort.tcp(spec.port().getAsInt());
            Ports bindings = new Ports();
            bindings.bind(port, Ports.Binding.bindIp("127.0.0.1"));
            host.withPortBindings(bindings);
            create.withExposedPorts(port);
            labels.put(Labels.PORT, Integer.toString(port.getPort()));
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
    public void awaitHealthy(List<Backend> instances, Duration readyTimeout, Optional<HealthCheck> check, Progress progress) {
        for (Backend backend : instances) {
            readiness.awaitListening(backend, readyTimeout);
            if (check.isPresent() && backend.containerPort() > 0) {
                readiness.checkHealth(backend, check.get());
                progress.line(backend.containerName() + " answers GET " + check.get().path());
            }
        }
    }

    @Override
    public void retire(String containerId, Duration stopTimeout) {
        try {
            docker.stopContainerCmd(containerId).withTimeout((int) Math.max(0, stopTimeout.toSeconds())).exec();
        } catch (NotFoundException | NotModifiedException e) {
            // already gone, or already stopped
        }
        remove(containerId);
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
    public void logs(String containerId, int tail, boolean follow, Consumer<byte[]> sink) {
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
                .withLabelFilter(Map.of(Labels.INSTANCE, instanceId)).exec();
        List<AppContainer> result = new ArrayList<>();
        for (Container c : found) {
            String app = c.getLabels().get(Labels.APP);
            if (app == null) {
                continue;
            }
            boolean running = "running".equals(c.getState());
            Optional<Backend> backend = Optional.empty();
            String port = c.getLabels().get(Labels.PORT);
            if (running && port != null) {
                try {
                    backend = Optional.of(backendOf(docker.inspectContainerCmd(c.getId()).exec(), Integer.parseInt(port)));
                } catch (NotFoundException e) {
                    continue;
                }
            }
            String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
            int release = Integer.parseInt(c.getLabels().getOrDefault(Labels.RELEASE, "0"));
            result.add(new AppContainer(AppName.of(app), release, c.getId(), name, c.getLabels().get(Labels.COMMIT), running, backend));
        }
        return result;
    }
}
