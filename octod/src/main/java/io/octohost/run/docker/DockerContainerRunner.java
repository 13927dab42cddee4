package io.octohost.run.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerNetworkSettings;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Labels;
import io.octohost.app.Procfile;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.RunSpec;
import io.octohost.app.UserError;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerLimits;
import io.octohost.run.ContainerRunner;
import io.octohost.run.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs app instances as containers on this host's Docker engine, labelled so they are found again by
 * label alone. A new release's containers start beside the old ones, which serve until nginx switches
 * and are then drained. Never privileged; no process may gain privileges (setuid binaries); PID and
 * memory limits by default; the capabilities of the app's {@link io.octohost.app.Capabilities}. A new
 * container has no restart policy until it proved healthy, so one that dies at once stays dead and says why.
 */
public final class DockerContainerRunner implements ContainerRunner {
    private static final Logger log = LoggerFactory.getLogger(DockerContainerRunner.class);
    private final DockerClient docker;
    private final String instanceId;
    private final Readiness readiness;
    private final ContainerLimits limits;
    private final ContainerLogs logs;

    public DockerContainerRunner(DockerClient docker, String instanceId, ContainerLimits limits) {
        this.docker = docker;
        this.instanceId = instanceId;
        this.readiness = new Readiness(docker);
        this.limits = limits;
        this.logs = new ContainerLogs(docker);
    }

    @Override
    public Rollout start(RunSpec spec, Progress progress) {
        List<AppContainer> before = list(spec.app(), spec.process());
        List<Backend> started = new ArrayList<>();
        String stamp = Long.toString(System.currentTimeMillis(), 36);
        String prefix = spec.app() + (spec.web() ? "." : "." + spec.process() + ".") + stamp + ".";
        try {
            for (int i = 1; i <= spec.instances(); i++) {
                Backend backend = startOne(spec, prefix + i);
                started.add(backend);
                progress.line("started " + backend.containerName() + " (" + backend.shortId() + ")");
            }
        } catch (RuntimeException e) {
            started.forEach(b -> remove(b.containerId()));
            throw e;
        }
        return new Started(spec, before, started);
    }

    /** Containers started beside the old ones: fit once they listen and pass the check; the old ones drain after the switch. */
    private final class Started implements Rollout {
        private final RunSpec spec;
        private final List<AppContainer> before;
        private final List<Backend> started;
        private final long startedNanos = System.nanoTime();

        Started(RunSpec spec, List<AppContainer> before, List<Backend> started) {
            this.spec = spec;
            this.before = before;
            this.started = List.copyOf(started);
        }

        @Override
        public List<Backend> awaitHealthy(Duration readyTimeout, Progress progress, Consumer<List<Backend>> serving) {
            List<Backend> ready = new ArrayList<>();
            for (Backend backend : started) {
                if (!spec.web()) {
                    ready.add(readiness.awaitSettled(backend, startedNanos, readyTimeout));
                    progress.line(backend.containerName() + " runs " + spec.process());
                    continue;
                }
                Backend listening = readiness.awaitListening(backend, readyTimeout);
                if (spec.health().isPresent() && listening.containerPort() > 0) {
                    readiness.checkHealth(listening, spec.health().get());
                    progress.line(listening.containerName() + " answers GET " + spec.health().get().path());
                }
                ready.add(listening);
            }
            // healthy: from now on Docker brings it back when it exits, or when dockerd restarts
            ready.forEach(b -> docker.updateContainerCmd(b.containerId()).withRestartPolicy(RestartPolicy.unlessStoppedRestart()).exec());
            return ready;
        }

        @Override
        public List<AppContainer> replaced() {
            Set<String> ids = started.stream().map(Backend::containerId).collect(Collectors.toSet());
            return before.stream().filter(c -> !ids.contains(c.id())).toList();
        }

        @Override
        public void undo(Consumer<List<Backend>> serving) {
            started.forEach(b -> remove(b.containerId()));
        }
    }

    private Backend startOne(RunSpec spec, String name) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Labels.APP, spec.app().value());
        spec.commit().ifPresent(c -> labels.put(Labels.COMMIT, c.sha()));
        labels.put(Labels.INSTANCE, instanceId);
        labels.put(Labels.RELEASE, Integer.toString(spec.release()));
        labels.put(Labels.PROCESS, spec.process());
        // an init as PID 1 passes SIGTERM on and reaps zombies: apps stop when asked, not after the timeout
        HostConfig host = HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.noRestart()).withInit(true)
                .withPrivileged(false).withSecurityOpts(List.of("no-new-privileges"))
                .withPidsLimit(limits.pids()).withMemory(spec.memoryLimitBytes().orElse(limits.memoryBytes()))
                .withCapDrop(capabilities(spec.capabilities().capDrop())).withCapAdd(capabilities(spec.capabilities().capAdd()));
        CreateContainerCmd create = docker.createContainerCmd(spec.image()).withName(name).withEnv(spec.envList());
        if (!spec.command().isEmpty()) {
            create.withCmd(spec.command());
        }
        if (spec.port().isPresent()) {
            ExposedPort port = ExposedPort.tcp(spec.port().getAsInt());
            Ports bindings = new Ports();
            bindings.bind(port, Ports.Binding.bindIp(Backend.LOCAL_HOST));
            host.withPortBindings(bindings);
            create.withExposedPorts(port);
            labels.put(Labels.PORT, Integer.toString(port.getPort()));
        }
        String id = create.withLabels(labels).withHostConfig(host).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            // its address and host port are read when readiness first looks at it
            return new Backend(id, name, "", spec.port().orElse(0), Backend.LOCAL_HOST, 0);
        } catch (RuntimeException e) {
            remove(id);
            throw new UserError("cannot start a container of " + spec.app() + ": " + e.getMessage(), e);
        }
    }

    private static Capability[] capabilities(List<String> names) {
        return names.stream().map(Capability::valueOf).toArray(Capability[]::new);
    }

    static Backend backendOf(InspectContainerResponse inspect, int containerPort) {
        int hostPort = 0;
        if (containerPort > 0) {
            Ports.Binding[] bound = inspect.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
            if (bound != null && bound.length > 0) {
                hostPort = Integer.parseInt(bound[0].getHostPortSpec());
            }
        }
        return new Backend(inspect.getId(), inspect.getName().replaceFirst("^/", ""), ipOf(inspect), containerPort,
                Backend.LOCAL_HOST, hostPort);
    }

    private static String ipOf(InspectContainerResponse inspect) {
        String ip = inspect.getNetworkSettings().getIpAddress();
        if (ip != null && !ip.isEmpty()) {
            return ip;
        }
        return firstAddress(inspect.getNetworkSettings().getNetworks());
    }

    private static String firstAddress(Map<String, ContainerNetwork> networks) {
        return networks == null ? "" : networks.values().stream().map(ContainerNetwork::getIpAddress)
                .filter(a -> a != null && !a.isEmpty()).findFirst().orElse("");
    }

    /** Keeps the release's running containers when there are as many as it asks for; else starts them all anew. */
    @Override
    public List<Backend> restore(RunSpec spec, Duration readyTimeout) {
        List<AppContainer> containers = list(spec.app(), spec.process());
        List<AppContainer> good = containers.stream().filter(c -> c.release() == spec.release() && c.running()).toList();
        containers.stream().filter(c -> !good.contains(c)).forEach(c -> {
            log.info("removing leftover container {} of {} ({})", c.name(), spec.app(), spec.process());
            remove(c.id());
        });
        if (good.size() == spec.instances()) {
            return good.stream().flatMap(c -> c.backend().stream()).toList();
        }
        log.info("{} runs {} of {} {} containers of v{}: starting them anew", spec.app(), good.size(), spec.instances(),
                spec.process(), spec.release());
        Rollout rollout = start(spec, Progress.SILENT);
        try {
            List<Backend> started = rollout.awaitHealthy(readyTimeout, Progress.SILENT, backends -> { });
            good.forEach(c -> remove(c.id()));
            return started;
        } catch (RuntimeException e) {
            rollout.undo(backends -> { });
            throw e;
        }
    }

    @Override
    public boolean canRun(Release release) {
        try {
            docker.inspectImageCmd(release.imageId()).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void retire(AppContainer instance, Duration stopTimeout) {
        try {
            docker.stopContainerCmd(instance.id()).withTimeout((int) Math.max(0, stopTimeout.toSeconds())).exec();
        } catch (NotFoundException | NotModifiedException e) {
            // already gone, or already stopped
        }
        remove(instance.id());
    }

    @Override
    public void removeAll(AppName app) {
        list(app).forEach(c -> remove(c.id()));
    }

    private void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone: the goal is reached
        }
    }

    @Override
    public void logs(AppName app, int tail, boolean follow, Consumer<byte[]> sink) {
        logs.follow(list(app).stream().filter(AppContainer::running).toList(), tail, follow, sink);
    }

    private List<AppContainer> list(AppName app, String process) {
        return list(app).stream().filter(c -> c.process().equals(process)).toList();
    }

    @Override
    public List<AppContainer> list() {
        return list(Map.of(Labels.INSTANCE, instanceId));
    }

    /** The app's containers only, as the engine filters them: a deploy of one app does not read the others'. */
    @Override
    public List<AppContainer> list(AppName app) {
        return list(Map.of(Labels.INSTANCE, instanceId, Labels.APP, app.value()));
    }

    /** From one listing: the engine's list says each container's address and published ports, no inspect needed. */
    private List<AppContainer> list(Map<String, String> labelled) {
        List<AppContainer> result = new ArrayList<>();
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(labelled).exec()) {
            String app = c.getLabels().get(Labels.APP);
            if (app == null) {
                continue;
            }
            boolean running = "running".equals(c.getState());
            String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
            String port = c.getLabels().get(Labels.PORT);
            Optional<Backend> backend = running && port != null ? Optional.of(backendOf(c, name, Integer.parseInt(port))) : Optional.empty();
            int release = Integer.parseInt(c.getLabels().getOrDefault(Labels.RELEASE, "0"));
            result.add(new AppContainer(AppName.of(app), release, c.getId(), name, c.getLabels().get(Labels.COMMIT), running,
                    backend, "", c.getLabels().getOrDefault(Labels.PROCESS, Procfile.WEB)));
        }
        return result;
    }

    /** Where a listed container is reached: its bridge address, and the loopback port its container port is published on. */
    static Backend backendOf(Container listed, String name, int containerPort) {
        int hostPort = Optional.ofNullable(listed.getPorts()).stream().flatMap(Arrays::stream)
                .filter(p -> Integer.valueOf(containerPort).equals(p.getPrivatePort()) && "tcp".equals(p.getType())
                        && p.getPublicPort() != null && Backend.LOCAL_HOST.equals(p.getIp()))
                .map(ContainerPort::getPublicPort).findFirst().orElse(0);
        String ip = firstAddress(Optional.ofNullable(listed.getNetworkSettings()).map(ContainerNetworkSettings::getNetworks).orElse(null));
        return new Backend(listed.getId(), name, ip, containerPort, Backend.LOCAL_HOST, hostPort);
    }
}
