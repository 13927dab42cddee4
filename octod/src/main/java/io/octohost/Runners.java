package io.octohost;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import io.octohost.app.Credentials;
import io.octohost.app.UserError;
import io.octohost.docker.Docker;
import io.octohost.registry.DockerRegistries;
import io.octohost.run.ContainerRunner;
import io.octohost.run.docker.DockerContainerRunner;
import io.octohost.run.swarm.SwarmRunner;
import io.octohost.settings.Settings;

import java.util.Optional;

/** What runs the apps (--runner): containers on this host's engine, or a Docker Swarm service per app. */
final class Runners {
    /** The overlay network the apps' Swarm tasks join. */
    private static final String SWARM_NETWORK = "octohost";

    private Runners() {
    }

    static ContainerRunner of(DockerClient docker, String instanceId, Settings settings) {
        return settings.swarm() ? swarm(docker, instanceId, settings)
                : new DockerContainerRunner(docker, instanceId, settings.containers().limits());
    }

    /**
     * The swarm runner, once the engine is a manager of an active swarm: octod drives Swarm from a
     * manager (a worker cannot create services).
     */
    private static ContainerRunner swarm(DockerClient docker, String instanceId, Settings settings) {
        SwarmInfo swarm = docker.infoCmd().exec().getSwarm();
        if (swarm == null || swarm.getLocalNodeState() != LocalNodeState.ACTIVE || !Boolean.TRUE.equals(swarm.getControlAvailable())) {
            throw new UserError("--runner swarm: the Docker engine is not a manager of an active swarm (run 'docker swarm init"
                    + " --advertise-addr ADDRESS' on the first host, 'docker swarm join --token ...' as a manager on the others)");
        }
        String registryHost = settings.registry().orElseThrow().split("/", 2)[0];
        Optional<Credentials> credentials = settings.registryUser().map(u -> new Credentials(u, settings.registryPassword().orElse("")));
        return new SwarmRunner(docker, Docker.transportOf(docker), instanceId, DockerRegistries.auth(registryHost, credentials), SWARM_NETWORK,
                settings.stopTimeout(), settings.readyTimeout());
    }
}
