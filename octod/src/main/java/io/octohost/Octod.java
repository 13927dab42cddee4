package io.octohost;

import com.github.dockerjava.api.DockerClient;
import io.octohost.api.ApiServer;
import io.octohost.app.Domains;
import io.octohost.app.Labels;
import io.octohost.app.UserError;
import io.octohost.auth.LoginLimiter;
import io.octohost.auth.Tokens;
import io.octohost.auth.Users;
import io.octohost.build.DockerImageBuilder;
import io.octohost.build.DockerImageSandbox;
import io.octohost.builds.BuildStore;
import io.octohost.builds.Builds;
import io.octohost.callbacks.Callbacks;
import io.octohost.command.AppViews;
import io.octohost.command.Commands;
import io.octohost.command.Services;
import io.octohost.deploy.DeploySettings;
import io.octohost.deploy.Pipeline;
import io.octohost.deploy.Reconciler;
import io.octohost.discovery.ConsulDiscovery;
import io.octohost.docker.Docker;
import io.octohost.git.GitReceiver;
import io.octohost.git.RemotePushes;
import io.octohost.git.Repos;
import io.octohost.http.Github;
import io.octohost.http.HttpApi;
import io.octohost.http.Sessions;
import io.octohost.registry.DockerRegistries;
import io.octohost.registry.DockerRegistryPublisher;
import io.octohost.registry.ImagePublisher;
import io.octohost.route.NginxRouter;
import io.octohost.route.Router;
import io.octohost.run.ContainerRunner;
import io.octohost.settings.Settings;
import io.octohost.source.FetchIntoRepo;
import io.octohost.ssh.SshFrontDoor;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.ClusterLocks;
import io.octohost.state.ConsulLocks;
import io.octohost.state.ConsulStateStore;
import io.octohost.state.FileStateStore;
import io.octohost.state.Deliveries;
import io.octohost.state.Keys;
import io.octohost.state.Projects;
import io.octohost.state.Records;
import io.octohost.state.Releases;
import io.octohost.state.StateStore;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/** Starts octod: checks the settings, wires the stages together, and serves SSH and the API socket. */
public final class Octod {
    private static final Logger log = LoggerFactory.getLogger(Octod.class);

    private Octod() {
    }

    public static void main(String[] args) {
        Settings settings = new Settings();
        CommandLine cli = new CommandLine(settings);
        cli.setExpandAtFiles(false);
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
            start(settings);
        } catch (CommandLine.ParameterException | UserError e) {
            System.err.println("octod: " + e.getMessage().lines().findFirst().orElse(""));
            System.exit(2);
        } catch (Exception e) {
            System.err.println("octod: cannot start: " + oneLine(e));
            log.debug("start failed", e);
            System.exit(1);
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static void start(Settings settings) throws Exception {
        settings.checkCombination();
        Thread.setDefaultUncaughtExceptionHandler(new ThreadEnded());
        Path data = settings.dataDir();
        Path repoDir = data.resolve("repos");
        try {
            Files.createDirectories(repoDir);
            // repos, state (config values) and the host key: octod's own, whatever the umask
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            Path probe = Files.createTempFile(data, ".write-test", "");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UserError("--data-dir: cannot write to " + data + " (" + e.getClass().getSimpleName() + ")");
        }
        String instanceId = instanceId(data);
        // the Docker client, the SSH server's crypto and Jetty are slow to set up and need nothing else:
        // they get ready on other threads while the state is read
        CompletableFuture<DockerClient> connecting = CompletableFuture.supplyAsync(Octod::docker);
        CompletableFuture<SshServer> sshServer = CompletableFuture.supplyAsync(
                () -> SshFrontDoor.prepare(settings.sshAddress(), data.resolve("ssh_host_ecdsa_key")));
        CompletableFuture<Optional<HttpApi>> httpServer = CompletableFuture.supplyAsync(() -> settings.httpApiAddress().map(HttpApi::new));
        ConsulStateStore consul = settings.consulState() ? new ConsulStateStore(settings.consulUrl(), settings.consulToken()) : null;
        StateStore store = consul != null ? consul : new FileStateStore(data.resolve("state"));
        boolean stateUp = consul == null || consulAnswers(consul);
        Keys keys = new Keys(store);
        AppClaims claims = new AppClaims(store);
        Domains domains = new Domains(settings.domain());
        AppConfigs configs = new AppConfigs(store, claims, settings.maxContainers(), domains);
        Releases releases = new Releases(store);
        NginxRouter nginx = new NginxRouter(settings.nginxConf(), settings.nginxCommand(), settings.httpPort(),
                settings.nginxReloadBySignal(), settings.templatesDir());
        DeploySettings deploySettings = new DeploySettings(domains, settings.httpPort(), settings.readyTimeout(),
                settings.drainGrace(), settings.stopTimeout(), settings.keepReleases(), settings.minFreeBytes(),
                List.of(data, settings.dockerRoot()), settings.maxParallelBuilds());
        Repos repos = new Repos(repoDir);
        // an app's fetched sources go to the repo its pushes go to
        FetchIntoRepo sources = new FetchIntoRepo(app -> repos.pathOf(claims.owner(app).map(AppClaims.Owner::repo).orElse(app)));
        // the host's zone: octo shows times as the local date and minute
        Clock clock = Clock.systemDefaultZone();
        Tokens tokens = new Tokens(store, clock);
        BuildStore buildStore = new BuildStore(data.resolve("builds"), settings.builds().keep(), settings.builds().logMaxBytes(), clock);
        int interrupted = buildStore.recover();
        if (interrupted > 0) {
            log.warn("{} builds were running when octod stopped: they are marked failed", interrupted);
        }
        Callbacks callbacks = new Callbacks(settings.builds().callbackRetryFor(), settings.builds().githubApiUrl());
        // what needs no engine is made above, while the Docker client connects
        DockerClient docker = joined(connecting);
        ContainerRunner runner = Runners.of(docker, instanceId, settings);
        ClusterLocks clusterLocks = settings.swarm() ? new ConsulLocks(consul, instanceId) : ClusterLocks.NONE;
        if (stateUp && clusterLocks instanceof ConsulLocks locks) {
            locks.endEarlierSessions();
        }
        DockerImageBuilder images = new DockerImageBuilder(docker, data.resolve("tmp"), instanceId);
        DockerRegistries registries = new DockerRegistries(docker);
        ImagePublisher publisher = settings.registry().<ImagePublisher>map(r -> new DockerRegistryPublisher(registries, r,
                settings.registryUser(), settings.registryPassword())).map(p -> settings.registryOptional() ? optional(p) : p)
                .orElse(ImagePublisher.NONE);
        // with a swarm, the octods of one node register its tasks alike: the swarm's id marks the registrations
        ConsulDiscovery discovery = consul == null ? null : settings.swarm()
                ? new ConsulDiscovery(consul, docker, "swarm-" + docker.inspectSwarmCmd().exec().getId(),
                        Map.entry(Labels.APP, ""), runner, configs, nginx)
                : new ConsulDiscovery(consul, docker, instanceId, Map.entry(Labels.INSTANCE, instanceId), runner, configs, nginx);
        Router router = discovery == null ? nginx : discovery.router();
        Pipeline pipeline = new Pipeline(images, sources, registries, runner, router, publisher, store, configs, releases, claims,
                clusterLocks, deploySettings, new DockerImageSandbox(docker, data.resolve("tmp")), settings.archives().archive(data));
        Reconciler reconciler = new Reconciler(pipeline, runner, router, configs, releases, deploySettings);
        Builds builds = new Builds(buildStore, pipeline, claims, configs, callbacks, settings.builds().timeout(), clock);
        Services services = new Services(keys, claims, configs, releases, pipeline, repos, runner, deploySettings,
                store, tokens, builds, new Records(configs, Map.of(Tokens.RECORDS, Tokens::checkRecord, Users.RECORDS, Users::checkRecord)), clock);
        Commands commands = new Commands(services);
        GitReceiver receiver = new GitReceiver(repos, claims, builds, settings.ssh().receiveLimits());
        Sessions sessions = new Sessions(services.users(), LoginLimiter.standard(clock), settings.login().tokenTtl(), commands, receiver, repos);
        Github github = new Github(new Projects(store), new Deliveries(store), new RemotePushes(repos, claims, builds));
        if (stateUp) {
            try {
                reconciler.restoreRoutes();
            } catch (RuntimeException e) {
                log.warn("could not restore the routes at start: {}", e.getMessage());
            }
        }
        if (discovery != null) {
            discovery.start(reconciler::restoreRoutes, pipeline::followDomains, stateUp, stateUp);
        }
        repos.discardStaging();
        Thread refresher = new Thread(() -> refreshRoutesEvery(reconciler, settings.reconcileInterval()), "route-refresh");
        refresher.setDaemon(true);
        refresher.start();
        SshFrontDoor ssh = new SshFrontDoor(joined(sshServer), settings.ssh().sshLimits(), keys, receiver, commands);
        ApiServer api = new ApiServer(settings.apiSocket(), commands);
        try {
            ssh.start();
        } catch (IOException e) {
            throw new UserError("--ssh-listen: cannot listen on " + settings.sshAddress() + ": " + e.getMessage());
        }
        api.start();
        HttpApi http = joined(httpServer).map(h -> h.serve(new AppViews(services), builds, tokens, sessions, github)).orElse(null);
        if (http != null) {
            try {
                http.start();
            } catch (Exception e) {
                throw new UserError("--http-api-listen: cannot listen on " + settings.httpApiAddress().get() + ": " + oneLine(e));
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                api.close();
                if (http != null) {
                    http.close();
                }
                ssh.close();
                if (discovery != null) {
                    discovery.close();
                }
                callbacks.close();
                if (clusterLocks instanceof ConsulLocks locks) {
                    locks.close();
                }
            } catch (Exception e) {
                log.warn("stopping: {}", e.getMessage());
            }
            stopped.countDown();
        }));
        log.info("octod ready: ssh {}:{}, api {}, http api {}, data {}", settings.sshAddress().getHostString(), ssh.port(),
                settings.apiSocket(), http == null ? "off" : settings.httpApiAddress().get().getHostString() + ":" + http.port(), data);
        stopped.await();
    }

    private static DockerClient docker() {
        DockerClient docker = Docker.connect();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new UserError("cannot reach the Docker engine: " + oneLine(e));
        }
        return docker;
    }

    /** The value of work done on another thread; its failure as if it had happened here. */
    private static <T> T joined(CompletableFuture<T> work) {
        try {
            return work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Whether Consul answers at start; if not, octod says so in one line and starts anyway. */
    private static boolean consulAnswers(ConsulStateStore consul) {
        try {
            consul.ping();
            log.info("state in Consul at {}", consul.url());
            return true;
        } catch (UserError e) {
            log.warn("{}; octod starts anyway and retries with backoff", e.getMessage());
            return false;
        }
    }

    /** A registry push that may fail: the deploy goes on, and says so. */
    private static ImagePublisher optional(ImagePublisher publisher) {
        return (app, imageId, label, progress) -> {
            try {
                return publisher.publish(app, imageId, label, progress);
            } catch (UserError e) {
                progress.line("warning: " + e.getMessage() + " (--registry-optional: deploying anyway)");
                return Optional.empty();
            }
        };
    }

    /** Docker gives containers new host ports when it restarts them (a dockerd restart): follow them. */
    private static void refreshRoutesEvery(Reconciler reconciler, java.time.Duration interval) {
        while (true) {
            try {
                Thread.sleep(interval.toMillis());
                reconciler.refreshRoutes();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.debug("route refresh: {}", e.getMessage());
            }
        }
    }

    /** Labels every container and image of this octod, so two octods on one engine never touch each other's. */
    private static String instanceId(Path data) throws IOException {
        Path file = data.resolve("instance-id");
        if (!Files.exists(file)) {
            Path tmp = data.resolve("instance-id.tmp");
            Files.writeString(tmp, UUID.randomUUID().toString().substring(0, 12) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
