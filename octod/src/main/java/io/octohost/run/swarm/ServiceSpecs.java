package io.octohost.run.swarm;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import io.octohost.app.Labels;
import io.octohost.app.Placement;
import io.octohost.app.RunSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Swarm service of a release, worked out from its {@link RunSpec} alone (pure, so unit tested):
 * <ul>
 * <li>named after the app, labelled like the docker runner's containers, its tasks too;</li>
 * <li>rolled one task at a time, the new task started before the old one stops, and rolled back by
 * Swarm when a new task fails ({@code update_config: parallelism 1, order start-first,
 * failure_action rollback});</li>
 * <li>the app's port published in mode {@code host} on a random port per task (the routing mesh
 * needs IPVS, which not every kernel has), where nginx finds each task;</li>
 * <li>the app's health check as the container's: {@code wget} of HEALTHCHECK_PATH, or else a check
 * that the port listens, read from {@code /proc/net/tcp};</li>
 * <li>an init as PID 1 and octod's stop timeout as the stop grace; the tasks join an overlay network
 * so that Swarm takes a task out of the service, then waits two seconds, before it stops it.</li>
 * </ul>
 */
final class ServiceSpecs {
    private static final Duration MONITOR = Duration.ofSeconds(1);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);
    private static final Duration LISTEN_INTERVAL = Duration.ofSeconds(1);

    private final String instanceId;
    private final String network;
    private final Duration stopTimeout;
    private final Duration readyTimeout;

    ServiceSpecs(String instanceId, String network, Duration stopTimeout, Duration readyTimeout) {
        this.instanceId = instanceId;
        this.network = network;
        this.stopTimeout = stopTimeout;
        this.readyTimeout = readyTimeout;
    }

    /** The whole service: how its tasks run, how many, and how Swarm rolls them. */
    ServiceSpec of(RunSpec spec) {
        String digest = digest(spec);
        Map<String, String> labels = new TreeMap<>(Map.of(Labels.APP, spec.app().value(), Labels.INSTANCE, instanceId,
                Labels.RELEASE, Integer.toString(spec.release()), Labels.SPEC, digest));
        spec.commit().ifPresent(c -> labels.put(Labels.COMMIT, c.sha()));
        Map<String, String> taskLabels = new TreeMap<>(labels);
        spec.port().ifPresent(p -> taskLabels.put(Labels.PORT, Integer.toString(p)));
        ContainerSpec container = new ContainerSpec().withImage(spec.published().orElseThrow()).withEnv(spec.envList())
                .withLabels(taskLabels).withInit(true).withStopGracePeriod(stopTimeout.toNanos());
        healthCheck(spec).ifPresent(container::withHealthCheck);
        if (!spec.command().isEmpty()) {
            container.withArgs(spec.command());
        }
        TaskSpec task = new TaskSpec().withContainerSpec(container).withResources(resources(spec))
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                        .withDelay(RESTART_DELAY.toNanos()).withMaxAttempts(0L))
                .withPlacement(placement(spec.placement()))
                .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(network)));
        EndpointSpec endpoint = new EndpointSpec().withMode(EndpointResolutionMode.DNSRR).withPorts(spec.port().isPresent()
                ? List.of(new PortConfig().withProtocol(PortConfigProtocol.TCP).withTargetPort(spec.port().getAsInt())
                        .withPublishMode(PortConfig.PublishMode.host))
                : List.of());
        return new ServiceSpec().withName(spec.app().value()).withLabels(labels).withTaskTemplate(task)
                .withMode(replicas(spec.instances())).withEndpointSpec(endpoint)
                .withUpdateConfig(rolling(UpdateFailureAction.ROLLBACK)).withRollbackConfig(rolling(UpdateFailureAction.PAUSE));
    }

    /** A scale: the running service's tasks as they are, only their number and the service's labels change. */
    static ServiceSpec scaled(ServiceSpec running, RunSpec spec, ServiceSpec wanted) {
        return running.withLabels(wanted.getLabels()).withMode(replicas(spec.instances()));
    }

    static ServiceModeConfig replicas(int n) {
        return new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(n));
    }

    private static UpdateConfig rolling(UpdateFailureAction onFailure) {
        return new UpdateConfig().withParallelism(1L).withOrder(UpdateOrder.START_FIRST).withFailureAction(onFailure)
                .withMaxFailureRatio(0f).withDelay(0L).withMonitor(MONITOR.toNanos());
    }

    /**
     * Wget of HEALTHCHECK_PATH (exec form: the path reaches no shell; no {@code -T}: busybox-static's
     * wget crashes with it, and Docker's probe timeout bounds the check anyway), or: does anything
     * listen on the port?
     */
    Optional<HealthCheck> healthCheck(RunSpec spec) {
        if (spec.port().isEmpty()) {
            return Optional.empty();
        }
        int port = spec.port().getAsInt();
        if (spec.health().isPresent()) {
            io.octohost.app.HealthCheck check = spec.health().get();
            return Optional.of(new HealthCheck()
                    .withTest(List.of("CMD", "wget", "-q", "-O", "/dev/null",
                            "http://127.0.0.1:" + port + check.path()))
                    .withInterval(check.interval().toNanos()).withTimeout(check.timeout().plusSeconds(1).toNanos())
                    .withRetries(check.attempts()).withStartPeriod(0L));
        }
        // a LISTEN socket (state 0A) on the port, IPv4 or IPv6, for up to --ready-timeout
        String listening = String.format(":%04X [0-9A-F]+:[0-9A-F]+ 0A ", port);
        return Optional.of(new HealthCheck().withTest(List.of("CMD", "grep", "-qsE", listening, "/proc/net/tcp", "/proc/net/tcp6"))
                .withInterval(LISTEN_INTERVAL.toNanos()).withTimeout(LISTEN_INTERVAL.toNanos()).withRetries(3)
                .withStartPeriod(readyTimeout.toNanos()));
    }

    private static ResourceRequirements resources(RunSpec spec) {
        Placement p = spec.placement();
        ResourceSpecs limits = new ResourceSpecs();
        spec.memoryLimitBytes().ifPresent(limits::withMemoryBytes);
        p.cpuLimitNanos().ifPresent(limits::withNanoCPUs);
        ResourceSpecs reservations = new ResourceSpecs();
        p.memoryReservationBytes().ifPresent(reservations::withMemoryBytes);
        p.cpuReservationNanos().ifPresent(reservations::withNanoCPUs);
        return new ResourceRequirements().withLimits(limits).withReservations(reservations);
    }

    private static ServicePlacement placement(Placement p) {
        ServicePlacement placement = new ServicePlacement().withConstraints(p.constraints());
        p.maxPerNode().ifPresent(placement::withMaxReplicas);
        return placement;
    }

    /**
     * A digest of how the release's tasks run (image, env, limits, port, check, placement; not how
     * many, not the release number): equal digests mean a change of scale alone, which keeps the tasks.
     */
    String digest(RunSpec spec) {
        StringBuilder s = new StringBuilder();
        s.append(spec.published().orElse(spec.image())).append('\n').append(String.join("\n", spec.envList())).append('\n')
                .append(spec.memoryLimitBytes()).append('\n').append(spec.port()).append('\n').append(spec.health()).append('\n')
                .append(spec.placement()).append('\n').append(stopTimeout).append('\n').append(readyTimeout).append('\n').append(network);
        if (!spec.command().isEmpty()) {
            // only then: the digest of a service without a Procfile command stays what it was
            s.append('\n').append(String.join("\u0000", spec.command()));
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
