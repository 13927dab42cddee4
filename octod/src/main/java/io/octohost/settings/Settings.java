package io.octohost.settings;

import io.octohost.app.UserError;
import io.octohost.settings.Converters.Words;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * octod's settings: each a flag with an {@code OCTOD_*} environment variable beside it (the flag
 * wins), checked as it is read (see {@link Converters}). The README's table lists them all.
 */
@Command(name = "octod", mixinStandardHelpOptions = true, version = "octod 0.1.0", sortOptions = false,
        description = "The octohost daemon: takes git pushes over SSH, builds and runs them with Docker, routes them with nginx.")
public final class Settings {
    /** How nginx is reloaded after a change of the rendered file. */
    public enum NginxReload { signal, watch }

    /** Where the state lives. */
    public enum StateBackend { embedded, consul }

    /** What runs the apps' containers. */
    public enum Runner { docker, swarm }

    @Option(names = "--data-dir", defaultValue = "${env:OCTOD_DATA_DIR:-/var/lib/octod}",
            description = "Repos, state, host key (OCTOD_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--ssh-listen", defaultValue = "${env:OCTOD_SSH_LISTEN:-0.0.0.0:2222}", converter = Converters.HostPort.class,
            description = "Address of the SSH server (OCTOD_SSH_LISTEN, default ${DEFAULT-VALUE}).")
    InetSocketAddress sshListen;

    @Option(names = "--http-api-listen", defaultValue = "${env:OCTOD_HTTP_API_LISTEN:-127.0.0.1:8420}", converter = Converters.HostPortOrOff.class,
            description = "Address of the HTTP API, or off (OCTOD_HTTP_API_LISTEN, default ${DEFAULT-VALUE}).")
    InetSocketAddress httpApiListen;

    @Option(names = "--api-socket", defaultValue = "${env:OCTOD_API_SOCKET:-/run/octod/api.sock}",
            description = "The local API socket for octo (OCTOD_API_SOCKET, default ${DEFAULT-VALUE}).")
    Path apiSocket;

    @Option(names = "--domain", defaultValue = "${env:OCTOD_DOMAIN:-localhost}", converter = Converters.BaseDomain.class,
            description = "Apps are served at APP.DOMAIN (OCTOD_DOMAIN, default ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--http-port", defaultValue = "${env:OCTOD_HTTP_PORT:-80}", converter = Converters.Port.class,
            description = "The port nginx serves apps on (OCTOD_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--nginx-conf", defaultValue = "${env:OCTOD_NGINX_CONF:-/etc/nginx/conf.d/containers.conf}",
            description = "The file octod renders (OCTOD_NGINX_CONF, default ${DEFAULT-VALUE}).")
    Path nginxConf;

    @Option(names = "--nginx-cmd", defaultValue = "${env:OCTOD_NGINX_CMD:-nginx}", converter = Converters.Command.class,
            description = "Command prefix to run nginx; octod appends -t or -s reload (OCTOD_NGINX_CMD, default ${DEFAULT-VALUE}).")
    Words nginxCmd;

    @Option(names = "--nginx-reload", defaultValue = "${env:OCTOD_NGINX_RELOAD:-signal}",
            description = "signal: octod runs NGINX_CMD -s reload; watch: a root service watching the rendered file"
                    + " reloads nginx (the packaged octohost-nginx.path) and octod only waits for it (OCTOD_NGINX_RELOAD, default ${DEFAULT-VALUE}).")
    NginxReload nginxReload;

    @Option(names = "--templates-dir", defaultValue = "${env:OCTOD_TEMPLATES_DIR}",
            description = "Directory of Freemarker templates overriding the built-in ones (OCTOD_TEMPLATES_DIR).")
    Path templatesDir;

    @Option(names = "--ready-timeout", defaultValue = "${env:OCTOD_READY_TIMEOUT:-30}", converter = Converters.PositiveSeconds.class,
            description = "Seconds a new container has to accept connections (OCTOD_READY_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Option(names = "--max-containers", defaultValue = "${env:OCTOD_MAX_CONTAINERS:-32}", converter = Converters.Positive.class,
            description = "The most containers ps:scale may ask for one app (OCTOD_MAX_CONTAINERS, default ${DEFAULT-VALUE}).")
    int maxContainers;

    @Option(names = "--drain-grace", defaultValue = "${env:OCTOD_DRAIN_GRACE:-10}", converter = Converters.Seconds.class,
            description = "Seconds old containers keep serving after a switch, before they are stopped (OCTOD_DRAIN_GRACE, default ${DEFAULT-VALUE}).")
    Duration drainGrace;

    @Option(names = "--stop-timeout", defaultValue = "${env:OCTOD_STOP_TIMEOUT:-10}", converter = Converters.Seconds.class,
            description = "Seconds between SIGTERM and SIGKILL when stopping a container (OCTOD_STOP_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration stopTimeout;

    @Option(names = "--keep-releases", defaultValue = "${env:OCTOD_KEEP_RELEASES:-5}", converter = Converters.Positive.class,
            description = "Releases per app whose images are kept for rollback (OCTOD_KEEP_RELEASES, default ${DEFAULT-VALUE}).")
    int keepReleases;

    @Option(names = "--min-free-space", defaultValue = "${env:OCTOD_MIN_FREE_SPACE:-2G}", converter = Converters.Size.class,
            description = "Free space Docker's and octod's data dirs need for a build, e.g. 2G or 500M (OCTOD_MIN_FREE_SPACE, default ${DEFAULT-VALUE}).")
    long minFreeBytes;

    @Option(names = "--docker-root", defaultValue = "${env:OCTOD_DOCKER_ROOT:-/var/lib/docker}",
            description = "Docker's data dir, whose free space is checked before a build (OCTOD_DOCKER_ROOT, default ${DEFAULT-VALUE}).")
    Path dockerRoot;

    @Option(names = "--max-parallel-builds", defaultValue = "${env:OCTOD_MAX_PARALLEL_BUILDS:-2}", converter = Converters.Positive.class,
            description = "Builds of different apps that run at once (OCTOD_MAX_PARALLEL_BUILDS, default ${DEFAULT-VALUE}).")
    int maxParallelBuilds;

    @Option(names = "--registry", defaultValue = "${env:OCTOD_REGISTRY}", converter = Converters.Registry.class,
            description = "Push each release's image to this registry, host:port[/prefix]; credentials in OCTOD_REGISTRY_USER"
                    + " and OCTOD_REGISTRY_PASSWORD (OCTOD_REGISTRY, default none).")
    String registry;

    @Option(names = "--registry-optional", defaultValue = "${env:OCTOD_REGISTRY_OPTIONAL:-false}",
            description = "A failed registry push does not fail the deploy (OCTOD_REGISTRY_OPTIONAL, default ${DEFAULT-VALUE}).")
    boolean registryOptional;

    @Option(names = "--reconcile-interval", defaultValue = "${env:OCTOD_RECONCILE_INTERVAL:-5}", converter = Converters.PositiveSeconds.class,
            description = "Seconds between checks that nginx routes to the ports Docker gives the containers now (OCTOD_RECONCILE_INTERVAL, default ${DEFAULT-VALUE}).")
    Duration reconcileInterval;

    // each group of settings in a class of its own, with its flags
    @Mixin SshSettings ssh;
    @Mixin ContainerSettings containers;
    @Mixin BuildSettings builds;
    @Mixin LoginSettings login;
    @Mixin ArchiveSettings archives;

    @Option(names = "--state", defaultValue = "${env:OCTOD_STATE:-embedded}",
            description = "Where config, domains, keys and releases live: embedded (a file in the data dir) or consul"
                    + " (Consul's KV under octohost/ and octod/; apps are then registered as Consul services) (OCTOD_STATE, default ${DEFAULT-VALUE}).")
    StateBackend state;

    @Option(names = "--consul-url", defaultValue = "${env:OCTOD_CONSUL_URL:-http://127.0.0.1:8500}", converter = Converters.ConsulUrl.class,
            description = "The local Consul agent's HTTP API, for --state consul; an ACL token is read from the environment"
                    + " variable OCTOD_CONSUL_TOKEN only (OCTOD_CONSUL_URL, default ${DEFAULT-VALUE}).")
    URI consulUrl;

    /** The SSH server's limits, and what a push may bring. */
    public SshSettings ssh() {
        return ssh;
    }

    /** What app containers get by default. */
    public ContainerSettings containers() {
        return containers;
    }

    /** How long builds may take, what is kept of them, and how their callbacks are retried. */
    public BuildSettings builds() {
        return builds;
    }

    /** How long a login token is valid. */
    public LoginSettings login() {
        return login;
    }

    /** Where each release's source archive is kept. */
    public ArchiveSettings archives() {
        return archives;
    }

    @Option(names = "--runner", defaultValue = "${env:OCTOD_RUNNER:-docker}",
            description = "What runs the apps: docker (containers on this host's engine) or swarm (a Docker Swarm service per app;"
                    + " needs --state consul and --registry) (OCTOD_RUNNER, default ${DEFAULT-VALUE}).")
    Runner runner;

    /** Whether the apps run as Swarm services (--runner swarm). */
    public boolean swarm() {
        return runner == Runner.swarm;
    }

    /**
     * Settings that only make sense together, checked once all are read.
     * @throws UserError one line naming the flags
     */
    public void checkCombination() {
        if (swarm() && !consulState()) {
            throw new UserError("--runner swarm needs --state consul: the octods of a swarm share their releases, routes and"
                    + " deploy locks there");
        }
        if (swarm() && registry().isEmpty()) {
            throw new UserError("--runner swarm needs --registry: every node of the swarm pulls the apps' images from it");
        }
        if (swarm() && registryOptional) {
            throw new UserError("--registry-optional cannot go with --runner swarm: a release that is not in the registry"
                    + " cannot run on the swarm");
        }
    }

    /** Whether the state lives in Consul (--state consul). */
    public boolean consulState() {
        return state == StateBackend.consul;
    }

    public URI consulUrl() {
        return consulUrl;
    }

    /** Consul's ACL token: from the environment only, so it never shows in a process listing or a log. */
    public Optional<String> consulToken() {
        return Optional.ofNullable(System.getenv("OCTOD_CONSUL_TOKEN")).map(String::strip).filter(t -> !t.isEmpty());
    }

    public Duration drainGrace() {
        return drainGrace;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    public int keepReleases() {
        return keepReleases;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    public Path dockerRoot() {
        return dockerRoot;
    }

    public int maxParallelBuilds() {
        return maxParallelBuilds;
    }

    public Optional<String> registry() {
        return Optional.ofNullable(registry).filter(r -> !r.isBlank());
    }

    public boolean registryOptional() {
        return registryOptional;
    }

    /** Secrets come from the environment only, so they never show in a process listing. */
    public Optional<String> registryUser() {
        return Optional.ofNullable(System.getenv("OCTOD_REGISTRY_USER")).filter(u -> !u.isEmpty());
    }

    public Optional<String> registryPassword() {
        return Optional.ofNullable(System.getenv("OCTOD_REGISTRY_PASSWORD"));
    }

    public Duration reconcileInterval() {
        return reconcileInterval;
    }

    public int maxContainers() {
        return maxContainers;
    }

    public Path dataDir() {
        return dataDir.toAbsolutePath();
    }

    public Path apiSocket() {
        return apiSocket.toAbsolutePath();
    }

    public String domain() {
        return domain;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path nginxConf() {
        return nginxConf.toAbsolutePath();
    }

    /** Whether octod reloads nginx itself, or a privileged watcher of the rendered file does. */
    public boolean nginxReloadBySignal() {
        return nginxReload == NginxReload.signal;
    }

    public Optional<Path> templatesDir() {
        return Optional.ofNullable(templatesDir);
    }

    public Duration readyTimeout() {
        return readyTimeout;
    }

    public List<String> nginxCommand() {
        return nginxCmd.list();
    }

    public InetSocketAddress sshAddress() {
        return sshListen;
    }

    /** Where the HTTP API listens; empty when it is off. */
    public Optional<InetSocketAddress> httpApiAddress() {
        return Optional.ofNullable(httpApiListen);
    }
}
