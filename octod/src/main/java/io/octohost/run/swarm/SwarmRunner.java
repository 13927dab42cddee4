package io.octohost.run.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.transport.DockerHttpClient;
import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Labels;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.RunSpec;
import io.octohost.app.UserError;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;
import io.octohost.run.Frames;
import io.octohost.run.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs each app (and branch app) as a Docker Swarm service named after it, through docker-java's
 * service API: a release is a service update that Swarm rolls task by task, start-first, and rolls
 * back when a new task fails its health check. Nodes pull the release's image from the registry.
 * One octohost per swarm: its services are the ones labelled {@code octohost.app}, whichever octod
 * deployed them last; octods on several hosts take turns through the apps' cluster locks.
 */
public final class SwarmRunner implements ContainerRunner {
    private static final Logger log = LoggerFactory.getLogger(SwarmRunner.class);
    final DockerClient docker;
    final SwarmTasks tasks;
    final ServiceSpecs specs;
    private final Optional<AuthConfig> registryAuth;
    private final String network;
    private final String localNode;

    /**
     * @param registryAuth credentials the nodes pull with, kept by Swarm with the service (never logged)
     * @param network      the overlay network the tasks join, made if missing
     */
    public SwarmRunner(DockerClient docker, DockerHttpClient http, String instanceId, Optional<AuthConfig> registryAuth,
                       String network, Duration stopTimeout, Duration readyTimeout) {
        this.docker = docker;
        this.tasks = new SwarmTasks(docker, http);
        this.specs = new ServiceSpecs(instanceId, network, stopTimeout, readyTimeout);
        this.registryAuth = registryAuth;
        this.network = network;
        this.localNode = docker.infoCmd().exec().getSwarm().getNodeID();
    }

    @Override
    public Rollout start(RunSpec spec, Progress progress) {
        onlyWeb(spec);
        if (spec.published().isEmpty()) {
            throw new UserError("cannot run " + spec.app() + " v" + spec.release() + " on the swarm: its image was never"
                    + " pushed to a registry (--registry), so no node can pull it");
        }
        ServiceSpec wanted = specs.of(spec);
        Optional<Service> running = service(spec.app());
        List<String> before = running.map(s -> tasks.of(List.of(s.getId())).stream().map(SwarmTasks.Task::id).toList())
                .orElse(List.of());
        if (running.isEmpty()) {
            ensureNetwork();
            var create = docker.createServiceCmd(wanted);
            registryAuth.ifPresent(create::withAuthConfig);
            String id = create.exec().getId();
            progress.line("created the Swarm service " + spec.app() + " (" + shortId(id) + ")");
            return new SwarmRollout(this, spec, id, Optional.empty(), false, before, templateRelease(wanted));
        }
        Service service = running.get();
        ServiceSpec current = service.getSpec();
        boolean scaleOnly = specs.digest(spec).equals(current.getLabels().get(Labels.SPEC))
                && replicas(current) != spec.instances();
        // a scale sends a fresh copy of the running spec: docker-java's models change in place, and current stays for undo
        ServiceSpec next = scaleOnly ? ServiceSpecs.scaled(docker.inspectServiceCmd(service.getId()).exec().getSpec(), spec, wanted) : wanted;
        docker.updateServiceCmd(service.getId(), next).withVersion(service.getVersion().getIndex()).exec();
        progress.line((scaleOnly ? "scaling" : "updating") + " the Swarm service " + spec.app() + " (" + shortId(service.getId())
                + "): " + (scaleOnly ? replicas(current) + " -> " + spec.instances() + " tasks" : "one task at a time, new before old"));
        return new SwarmRollout(this, spec, service.getId(), Optional.of(current), !scaleOnly && spec.instances() > 0, before,
                templateRelease(next));
    }

    /** Runs the spec's release: a service that runs another (a deploy a crash interrupted) rolls back to it. */
    /** One service per app: process types other than web are for the docker runner (documented in the README). */
    private static void onlyWeb(RunSpec spec) {
        if (!spec.web()) {
            throw new UserError("the swarm runner runs only the web process type: " + spec.app() + "'s Procfile has "
                    + spec.process() + " (remove it, or run none: octo config:set " + spec.app() + " PS_SCALE=" + spec.process() + "=0)");
        }
    }

    @Override
    public List<Backend> restore(RunSpec spec, Duration readyTimeout) {
        onlyWeb(spec);
        Optional<Service> running = service(spec.app());
        if (running.isPresent()) {
            Map<String, String> labels = running.get().getSpec().getLabels();
            if (Integer.toString(spec.release()).equals(labels.get(Labels.RELEASE)) && specs.digest(spec).equals(labels.get(Labels.SPEC))) {
                return serving(running.get().getId());
            }
            log.info("the Swarm service {} runs v{}, its last release is v{}: rolling it to v{}", spec.app(),
                    labels.get(Labels.RELEASE), spec.release(), spec.release());
        }
        Rollout rollout = start(spec, Progress.SILENT);
        return rollout.awaitHealthy(readyTimeout, Progress.SILENT, backends -> { });
    }

    @Override
    public boolean canRun(Release release) {
        return release.published().isPresent();
    }

    /** Swarm stops the tasks it replaced itself: rollouts leave none to retire. */
    @Override
    public void retire(AppContainer instance, Duration stopTimeout) {
    }

    @Override
    public void removeAll(AppName app) {
        service(app).ifPresent(s -> {
            try {
                docker.removeServiceCmd(s.getId()).exec();
            } catch (NotFoundException e) {
                // gone already
            }
        });
    }

    @Override
    public void logs(AppName app, int tail, boolean follow, Consumer<byte[]> sink) {
        Optional<Service> service = service(app);
        if (service.isEmpty()) {
            return;
        }
        var cmd = docker.logServiceCmd(service.get().getId()).withStdout(true).withStderr(true).withFollow(follow);
        if (tail >= 0) {
            cmd.withTail(tail);
        }
        Frames.copy(cmd, sink);
    }

    /** The current tasks (desired to run) of every octohost service, each with its node. */
    @Override
    public List<AppContainer> list() {
        List<Service> services = services();
        Map<String, Service> byId = new HashMap<>();
        services.forEach(s -> byId.put(s.getId(), s));
        List<AppContainer> result = new ArrayList<>();
        for (SwarmTasks.Task t : tasks.of(new ArrayList<>(byId.keySet()))) {
            if (!"running".equals(t.desiredState())) {
                continue;
            }
            Map<String, String> labels = byId.get(t.serviceId()).getSpec().getLabels();
            AppName app = AppName.of(labels.get(Labels.APP));
            // a task of the service's current spec belongs to the service's release (a scale keeps the tasks)
            String release = labels.get(Labels.SPEC).equals(t.labels().get(Labels.SPEC)) ? labels.get(Labels.RELEASE)
                    : t.labels().getOrDefault(Labels.RELEASE, "0");
            SwarmTasks.Node node = tasks.node(t.nodeId());
            result.add(new AppContainer(app, Integer.parseInt(release), t.id(), app + "." + t.slot(),
                    t.labels().getOrDefault(Labels.COMMIT, ""), t.running(), backend(app, t), node.hostname()));
        }
        return result;
    }

    @Override
    public List<AppContainer> listLocal() {
        String local = tasks.node(localNode).hostname();
        return list().stream().filter(c -> c.node().equals(local)).toList();
    }

    /** The running tasks of a service that take traffic, where nginx reaches them. */
    List<Backend> serving(String serviceId) {
        List<Backend> backends = new ArrayList<>();
        for (SwarmTasks.Task t : tasks.of(List.of(serviceId))) {
            if (t.running()) {
                AppName app = AppName.of(t.labels().get(Labels.APP));
                backend(app, t).ifPresent(backends::add);
            }
        }
        return backends;
    }

    Optional<Backend> backend(AppName app, SwarmTasks.Task t) {
        if (!t.running() || t.publishedPort() == 0) {
            return Optional.empty();
        }
        int port = Integer.parseInt(t.labels().getOrDefault(Labels.PORT, "0"));
        return Optional.of(new Backend(t.id(), app + "." + t.slot(), "", port, tasks.node(t.nodeId()).address(), t.publishedPort()));
    }

    Optional<Service> service(AppName app) {
        return services().stream().filter(s -> app.value().equals(s.getSpec().getLabels().get(Labels.APP))).findFirst()
                .or(() -> {
                    Optional<Service> named = docker.listServicesCmd().withNameFilter(List.of(app.value())).exec().stream()
                            .filter(s -> app.value().equals(s.getSpec().getName())).findFirst();
                    if (named.isPresent()) {
                        throw new UserError("a Swarm service named " + app + " exists, and octohost did not make it (no label "
                                + Labels.APP + "): remove or rename it first");
                    }
                    return Optional.empty();
                });
    }

    private List<Service> services() {
        return docker.listServicesCmd().exec().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getLabels() != null && s.getSpec().getLabels().containsKey(Labels.APP))
                .toList();
    }

    /** The release whose task spec a service spec has (a scale keeps the tasks, and their spec, of an earlier release). */
    static String templateRelease(ServiceSpec spec) {
        return spec.getTaskTemplate().getContainerSpec().getLabels().getOrDefault(Labels.RELEASE, "");
    }

    static int replicas(ServiceSpec spec) {
        return spec.getMode() == null || spec.getMode().getReplicated() == null ? 0 : (int) spec.getMode().getReplicated().getReplicas();
    }

    /** The overlay network the tasks join; two octods making it at once is fine. */
    private synchronized void ensureNetwork() {
        boolean exists = docker.listNetworksCmd().withNameFilter(network).exec().stream().anyMatch(n -> network.equals(n.getName()));
        if (!exists) {
            try {
                docker.createNetworkCmd().withName(network).withDriver("overlay").withAttachable(true).withCheckDuplicate(true).exec();
                log.info("created the overlay network {} for the apps' tasks", network);
            } catch (ConflictException e) {
                // another octod made it meanwhile
            }
        }
    }

    static String shortId(String id) {
        return id.substring(0, Math.min(12, id.length()));
    }
}
