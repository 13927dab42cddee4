package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.BuildControl;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.Route;
import io.octohost.app.RunConfig;
import io.octohost.app.RunSpec;
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
 * (the runner brings each app back to its release: containers or a Swarm service of an interrupted
 * deploy go back, missing ones are started; nginx is rendered anew), and every few seconds (nginx
 * follows the host ports Docker gives restarted containers, or Swarm gives replaced tasks). Routes use the
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
            try (AppLocks.Held held = locks.acquire(app, Progress.SILENT, BuildControl.none())) {
                restore(app).ifPresent(routes::add);
            } catch (UserError e) {
                log.warn("could not bring {} back: {}", app, e.getMessage());
            }
        }
        router.replaceAll(routes);
    }

    private Optional<Route> restore(AppName app) {
        Optional<Release> current = releases.current(app);
        if (current.isEmpty()) {
            runner.removeAll(app);
            retention.removeUnreleased(app);
            return Optional.empty();
        }
        Release release = current.get();
        RunConfig config = configs.runConfig(app, release.config());
        try {
            List<RunSpec> specs = StartContainers.specs(app, release, config);
            List<AppContainer> running = runner.list(app);
            // instances of process types the release does not have go; web's restored backends are routed
            running.stream().filter(c -> !release.types().contains(c.process())).forEach(c -> {
                log.info("removing container {} of {}: v{} has no process type {}", c.name(), app, release.number(), c.process());
                runner.retire(c, Duration.ZERO);
            });
            List<Backend> web = runner.restore(specs.get(0), readyTimeout);
            for (RunSpec other : specs.subList(1, specs.size())) {
                if (other.instances() > 0 || running.stream().anyMatch(c -> c.process().equals(other.process()))) {
                    try {
                        runner.restore(other, readyTimeout);
                    } catch (UserError e) {
                        // a worker that cannot come back must not keep web unrouted
                        log.warn("could not bring {} of {} back: {}", other.process(), app, e.getMessage());
                    }
                }
            }
            return routeOf(app, release, web);
        } finally {
            // after the runner removed the containers of interrupted deploys, which used these images
            retention.removeUnreleased(app);
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
