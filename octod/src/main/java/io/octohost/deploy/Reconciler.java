package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.Route;
import io.octohost.app.RunConfig;
import io.octohost.app.UserError;
import io.octohost.route.Router;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;
import io.octohost.state.AppConfigs;
import io.octohost.state.Releases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps what runs in line with the releases when no deploy is asked for: after a crash or a reboot
 * (containers of interrupted deploys go, missing ones are started, nginx is rendered anew), and every
 * few seconds (nginx follows the host ports Docker gives restarted containers). Routes use the
 * stored config: domains change without a release.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private final AppLocks locks;
    private final ImageRetention retention;
    private final ContainerRunner runner;
    private final Router router;
    private final AppConfigs configs;
    private final Releases releases;
    private final Duration readyTimeout;

    public Reconciler(Pipeline pipeline, ContainerRunner runner, Router router, AppConfigs configs, Releases releases,
                      DeploySettings settings) {
        this.locks = pipeline.locks();
        this.retention = pipeline.retention();
        this.runner = runner;
        this.router = router;
        this.configs = configs;
        this.releases = releases;
        this.readyTimeout = settings.readyTimeout();
    }

    /** Brings every app back to its last release, as after a crash or a reboot, and routes them all at once. */
    public void restoreRoutes() {
        Set<AppName> known = new TreeSet<>(configs.apps());
        // containers of apps the state does not know are left alone: a wiped or wrong state store
        // must not take every app down with it
        runner.list().stream().map(AppContainer::app).filter(app -> !known.contains(app)).distinct()
                .forEach(app -> log.warn("containers of {} run, but the state store does not know the app: left alone", app));
        List<Route> routes = new ArrayList<>();
        for (AppName app : known) {
            try (AppLocks.Held held = locks.acquire(app, Progress.SILENT)) {
                restore(app).ifPresent(routes::add);
            } catch (UserError e) {
                log.warn("could not bring {} back: {}", app, e.getMessage());
            }
        }
        router.replaceAll(routes);
    }

    private Optional<Route> restore(AppName app) {
        Optional<Release> current = releases.current(app);
        List<AppContainer> containers = runner.list(app);
        if (current.isEmpty()) {
            containers.forEach(c -> runner.remove(c.id()));
            retention.removeUnreleased(app);
            return Optional.empty();
        }
        Release release = current.get();
        RunConfig config = configs.runConfig(app, release.config());
        List<AppContainer> good = containers.stream().filter(c -> c.release() == release.number() && c.running()).toList();
        containers.stream().filter(c -> !good.contains(c)).forEach(c -> {
            log.info("removing leftover container {} of {}", c.name(), app);
            runner.remove(c.id());
        });
        retention.removeUnreleased(app);
        List<Backend> backends = good.stream().flatMap(c -> c.backend().stream()).toList();
        if (good.size() != config.containers()) {
            log.info("{} runs {} of {} containers of {}: starting them anew", app, good.size(), config.containers(), release.label());
            backends = startAnew(app, release, config);
            good.forEach(c -> runner.remove(c.id()));
        }
        return routeOf(app, release, backends);
    }

    private List<Backend> startAnew(AppName app, Release release, RunConfig config) {
        List<Backend> started = runner.start(StartContainers.spec(app, release, config), Progress.SILENT);
        try {
            runner.awaitHealthy(started, readyTimeout, config.health(), Progress.SILENT);
            return started;
        } catch (RuntimeException e) {
            started.forEach(b -> runner.remove(b.containerId()));
            throw e;
        }
    }

    /** The route of the app's containers with its stored config, if nginx should route it. */
    private Optional<Route> routeOf(AppName app, Release release, List<Backend> backends) {
        RunConfig stored = configs.runConfig(app);
        if (backends.isEmpty() || release.port().isEmpty() || !stored.routed()) {
            return Optional.empty();
        }
        return Optional.of(new Route(app, stored.domains(), backends));
    }

    /** Re-routes apps whose containers' host ports changed (Docker restarted them); apps being deployed are left alone. */
    public void refreshRoutes() {
        Map<AppName, Route> routed = router.routes();
        Map<AppName, List<AppContainer>> byApp = new TreeMap<>();
        runner.list().forEach(c -> byApp.computeIfAbsent(c.app(), k -> new ArrayList<>()).add(c));
        for (AppName app : configs.apps()) {
            Optional<AppLocks.Held> lock = locks.tryAcquire(app);
            if (lock.isEmpty()) {
                continue;
            }
            try (AppLocks.Held held = lock.get()) {
                releases.current(app).ifPresent(release -> {
                    List<Backend> backends = byApp.getOrDefault(app, List.of()).stream()
                            .filter(c -> c.release() == release.number() && c.running())
                            .flatMap(c -> c.backend().stream()).filter(b -> b.hostPort() > 0).toList();
                    Route was = routed.get(app);
                    routeOf(app, release, backends).filter(route -> !samePorts(route, was)).ifPresent(route -> {
                        log.info("{} moved to ports {}: routing it there", app, ports(route));
                        router.route(route);
                    });
                });
            }
        }
    }

    private static boolean samePorts(Route now, Route was) {
        return was != null && ports(now).equals(ports(was));
    }

    private static Set<Integer> ports(Route route) {
        return new TreeSet<>(route.backends().stream().map(Backend::hostPort).toList());
    }
}
