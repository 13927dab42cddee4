package io.octohost.e2e.swarm;

import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Secrets;
import io.octohost.e2e.consul.ConsulAgent;
import io.octohost.e2e.releases.RegistryServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What octod's swarm runner needs, real: this machine's dockerd as a one-node swarm manager
 * ({@code docker swarm init --advertise-addr 127.0.0.1} when it is in no swarm yet; it stays one
 * afterwards: other scenarios' plain containers run on as before), Debian's {@code docker-registry}
 * with a user (installed with apt-get when missing), and a Consul dev agent. Register it before the
 * {@link Octohost}s that use it ({@code @Order(1)}); they get {@link #octohost()}'s settings.
 */
final class SwarmSetup implements BeforeAllCallback, AfterAllCallback {
    static final String REGISTRY_USER = "octo";
    static final String REGISTRY_PASSWORD = Secrets.planted("swarm");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ConsulAgent consul = ConsulAgent.create(false);
    private final int registryPort = Octohost.freePort();
    private RegistryServer registry;
    private Path registryDir;

    @Override
    public void beforeAll(ExtensionContext context) {
        ensureSwarmManager();
        RegistryServer.ensureInstalled();
        try {
            registryDir = Files.createTempDirectory("octohost-swarm-registry-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry = RegistryServer.start(registryDir, registryPort, REGISTRY_USER, REGISTRY_PASSWORD);
        consul.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (registry != null) registry.close();
        consul.close();
        if (registryDir != null) Proc.of("rm", "-rf", registryDir.toString()).timeout(TIMEOUT).run();
    }

    /** Idempotent: inits a swarm when the engine is in none; fails when it is a swarm's worker (it cannot make services). */
    static void ensureSwarmManager() {
        String state = info("{{.Swarm.LocalNodeState}}");
        if (state.equals("inactive")) {
            Proc.of("docker", "swarm", "init", "--advertise-addr", "127.0.0.1").timeout(TIMEOUT).run().orFail();
            state = info("{{.Swarm.LocalNodeState}}");
        }
        if (!state.equals("active") || !info("{{.Swarm.ControlAvailable}}").equals("true")) {
            throw new IllegalStateException("the Docker engine is no swarm manager (Swarm: " + state + "): the swarm scenarios"
                    + " need one; 'docker swarm init --advertise-addr 127.0.0.1' makes this engine one");
        }
    }

    private static String info(String format) {
        return Proc.of("docker", "info", "--format", format).timeout(TIMEOUT).run().orFail().trimmed();
    }

    /** An octod with the swarm runner on this setup's registry and Consul (several may share them). */
    Octohost.Builder octohost() {
        List<String> args = new ArrayList<>(List.of("--runner", "swarm", "--registry", "127.0.0.1:" + registryPort,
                "--stop-timeout", "2", "--reconcile-interval", "1"));
        args.addAll(List.of(consul.octodArgs()));
        return Octohost.builder().extraArgs(args.toArray(String[]::new))
                .env("OCTOD_REGISTRY_USER", REGISTRY_USER).env("OCTOD_REGISTRY_PASSWORD", REGISTRY_PASSWORD);
    }

    ConsulAgent consul() {
        return consul;
    }

    /** {@code docker service inspect -f FORMAT NAME}; fails the test when there is no such service. */
    static String service(String name, String format) {
        return Proc.of("docker", "service", "inspect", "-f", format, name).timeout(TIMEOUT).run().orFail().trimmed();
    }

    static boolean serviceExists(String name) {
        return Proc.of("docker", "service", "inspect", name).timeout(TIMEOUT).run().ok();
    }

    /** The service's tasks that should run and do: {@code docker service ps} with the desired state running. */
    static List<String> runningTasks(String name) {
        Proc.Result r = Proc.of("docker", "service", "ps", "-q", "--filter", "desired-state=running", "--format",
                "{{.ID}} {{.CurrentState}}", name).timeout(TIMEOUT).run().orFail();
        return r.output().lines().map(String::strip).filter(l -> l.matches("\\S+ Running.*")).map(l -> l.split(" ")[0]).toList();
    }
}
