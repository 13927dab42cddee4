package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.ContainerSpec;
import io.octohost.app.Domain;
import io.octohost.app.Release;
import io.octohost.app.Route;
import io.octohost.app.UserError;
import io.octohost.build.BuiltImage;
import io.octohost.build.ImageBuilder;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;
import io.octohost.route.Router;
import io.octohost.state.AppConfigs;
import io.octohost.state.Releases;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The conductor. A deploy builds, starts new containers beside the old ones, waits until they
 * accept connections, switches nginx to them, and only then removes the old ones. Until the
 * switch the running version is untouched; any failure removes what this deploy started.
 * Pushes, restarts, config changes and scaling of one app take its lock, one at a time.
 */
public final class Deployer {
    private final ImageBuilder builder;
    private final ContainerRunner runner;
    private final Router router;
    private final DeploySettings settings;
    private final AppConfigs configs;
    private final Releases releases;
    private final ConcurrentHashMap<AppName, ReentrantLock> locks = new ConcurrentHashMap<>();

    public Deployer(ImageBuilder builder, ContainerRunner runner, Router router, DeploySettings settings,
                    AppConfigs configs, Releases releases) {
        this.builder = builder;
        this.runner = runner;
        this.router = router;
        this.settings = settings;
        this.configs = configs;
        this.releases = releases;
    }

    /** Builds the pushed tree and makes it the running version of the app; returns once it is served. */
    public Release deploy(AppName app, SourceTree tree, Progress progress, String by) {
        return locked(app, () -> {
            progress.stage("Building " + app + " (" + tree.commit().shortSha() + ")");
            if (tree.file("Dockerfile").isEmpty()) {
                throw new UserError("no Dockerfile at the root of " + tree.commit().shortSha());
            }
            SortedMap<String, String> own = withCnameDomains(app, tree);
            BuiltImage image = builder.build(app, tree.commit(), tree, progress);
            run(app, image.id(), tree.commit(), image.exposedPort(), configs.runConfig(app, own), progress);
            Map<String, String> domains = Map.of(AppConfigs.DOMAINS, own.getOrDefault(AppConfigs.DOMAINS, ""));
            if (!domains.get(AppConfigs.DOMAINS).equals(configs.own(app).getOrDefault(AppConfigs.DOMAINS, ""))) {
                configs.write(app, domains, Set.of());
            }
            return releases.record(app, tree.commit(), image.id(), image.exposedPort(), by);
        });
    }

    /** The app's keys with the domains of the repo's CNAME file added, as octohost did. */
    private SortedMap<String, String> withCnameDomains(AppName app, SourceTree tree) {
        SortedMap<String, String> own = new TreeMap<>(configs.own(app));
        Optional<byte[]> cname = tree.file("CNAME");
        if (cname.isEmpty()) {
            return own;
        }
        List<Domain> added = new ArrayList<>();
        for (String line : new String(cname.get(), StandardCharsets.UTF_8).split("\n")) {
            String text = line.strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                try {
                    added.add(Domain.of(text));
                } catch (UserError e) {
                    throw new UserError("CNAME: " + e.getMessage());
                }
            }
        }
        configs.checkDomainsFree(app, added);
        TreeSet<Domain> all = new TreeSet<>(configs.domains(own));
        all.addAll(added);
        own.put(AppConfigs.DOMAINS, AppConfigs.formatDomains(List.copyOf(all)));
        return own;
    }

    /** Runs the current release again with this config; the caller stores the config once this returns. */
    public void restart(AppName app, RunConfig config, Progress progress) {
        locked(app, () -> {
            Release current = releases.current(app)
                    .orElseThrow(() -> new UserError(app + " has no release yet: push it first"));
            run(app, current.imageId(), current.commit(), current.port(), config, progress);
            return null;
        });
    }

    /** Points nginx at the app's running containers with this config's domains, without restarting them. */
    public void reroute(AppName app, RunConfig config, Progress progress) {
        locked(app, () -> {
            Route current = router.routes().get(app);
            if (current != null) {
                Route route = routeOf(app, config, current.backends());
                progress.stage("Routing " + String.join(", ", route.domains()));
                router.route(route);
            }
            return null;
        });
    }

    /** Stops and removes an app's containers and its route. */
    public void destroy(AppName app, Progress progress) {
        locked(app, () -> {
            progress.stage("Removing " + app);
            router.unroute(app);
            for (AppContainer c : runner.list(app)) {
                runner.remove(c.id());
            }
            progress.line(app + " is stopped and unrouted");
            return null;
        });
    }

    private void run(AppName app, String imageId, io.octohost.app.Commit commit, OptionalInt port, RunConfig config,
                     Progress progress) {
        List<AppContainer> old = runner.list(app);
        int count = config.containers();
        progress.stage("Starting " + app + " (" + count + (count == 1 ? " container)" : " containers)"));
        if (port.isEmpty()) {
            progress.line("the image exposes no port: " + app + " runs, but nginx does not route it");
        }
        List<Backend> started = new ArrayList<>();
        try {
            String stamp = Long.toString(System.currentTimeMillis(), 36);
            for (int i = 1; i <= count; i++) {
                ContainerSpec spec = new ContainerSpec(app, commit, imageId, port, config.env(),
                        config.memoryLimitBytes(), app + "." + stamp + "." + i);
                Backend backend = runner.start(spec);
                started.add(backend);
                progress.line("started " + backend.containerName() + " (" + backend.shortId() + ")");
            }
            for (Backend backend : started) {
                runner.awaitReady(backend, settings.readyTimeout());
            }
            switchRoute(app, config, port.isPresent(), started, progress);
        } catch (RuntimeException e) {
            started.forEach(b -> runner.remove(b.containerId()));
            throw e;
        }
        for (AppContainer c : old) {
            runner.remove(c.id());
        }
    }

    private void switchRoute(AppName app, RunConfig config, boolean exposed, List<Backend> backends, Progress progress) {
        if (backends.isEmpty()) {
            router.unroute(app);
            progress.stage(app + " is scaled to 0: stopped, and kept");
            return;
        }
        if (!exposed || !config.routed()) {
            router.unroute(app);
            progress.stage(app + " is running, not routed" + (config.routed() ? "" : " (NO_HTTP_PROXY is set)"));
            return;
        }
        Route route = routeOf(app, config, backends);
        progress.stage("Routing " + String.join(", ", route.domains()));
        router.route(route);
        progress.stage(app + " is live at " + settings.url(settings.defaultDomain(app)));
    }

    private Route routeOf(AppName app, RunConfig config, List<Backend> backends) {
        LinkedHashSet<String> domains = new LinkedHashSet<>();
        domains.add(settings.defaultDomain(app));
        domains.addAll(config.domains());
        return new Route(app, List.copyOf(domains), backends);
    }

    /** Routes whatever runs now, as after a restart of octod: nginx is derived from the containers. */
    public void restoreRoutes() {
        Map<AppName, List<Backend>> running = new TreeMap<>();
        for (AppContainer c : runner.list()) {
            c.backend().filter(b -> b.hostPort() > 0)
                    .ifPresent(b -> running.computeIfAbsent(c.app(), k -> new ArrayList<>()).add(b));
        }
        List<Route> routes = new ArrayList<>();
        running.forEach((app, backends) -> {
            RunConfig config = configs.runConfig(app);
            if (config.routed()) {
                routes.add(routeOf(app, config, backends));
            }
        });
        router.replaceAll(routes);
    }

    /** Runs work holding the app's lock, so it sees no other deploy, restart or config change of the app. */
    public <T> T locked(AppName app, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(app, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
