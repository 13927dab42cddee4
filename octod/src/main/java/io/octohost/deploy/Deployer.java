package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Commit;
import io.octohost.app.ContainerSpec;
import io.octohost.app.Domain;
import io.octohost.app.Release;
import io.octohost.app.Route;
import io.octohost.app.UserError;
import io.octohost.build.BuiltImage;
import io.octohost.build.ImageBuilder;
import io.octohost.registry.ImagePublisher;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;
import io.octohost.route.Router;
import io.octohost.state.AppConfigs;
import io.octohost.state.Releases;
import io.octohost.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The conductor. Every change of what runs is a release: build (for a push), start new
 * containers beside the old ones, wait until they are ready and healthy, switch nginx to them,
 * record the release, and drain the old containers in the background. Until the switch the
 * running version is untouched; any failure removes what this attempt started and stores nothing.
 * Everything that changes one app holds its lock, one at a time.
 */
public final class Deployer {
    private static final Logger log = LoggerFactory.getLogger(Deployer.class);
    private final ImageBuilder builder;
    private final ContainerRunner runner;
    private final Router router;
    private final DeploySettings settings;
    private final AppConfigs configs;
    private final Releases releases;
    private final StateStore store;
    private final ImagePublisher publisher;
    private final Semaphore builds;
    private final ConcurrentHashMap<AppName, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Old containers still draining, per app: the next release of the app waits for them. */
    private final ConcurrentHashMap<AppName, CompletableFuture<Void>> draining = new ConcurrentHashMap<>();

    public Deployer(ImageBuilder builder, ContainerRunner runner, Router router, DeploySettings settings,
                    AppConfigs configs, Releases releases, StateStore store, ImagePublisher publisher) {
        this.builder = builder;
        this.runner = runner;
        this.router = router;
        this.settings = settings;
        this.configs = configs;
        this.releases = releases;
        this.store = store;
        this.publisher = publisher;
        this.builds = new Semaphore(settings.maxParallelBuilds(), true);
    }

    /** Builds the pushed tree and makes it the app's new release; returns once it is served. */
    public Release deploy(AppName app, SourceTree tree, Progress progress, String by) {
        return locked(app, progress, () -> {
            Commit commit = tree.commit();
            if (tree.file("Dockerfile").isEmpty()) {
                throw new UserError("no Dockerfile at the root of " + commit.shortSha());
            }
            checkDiskSpace();
            SortedMap<String, String> own = withCnameDomains(app, tree);
            BuiltImage image = build(app, tree, progress);
            Release release = new Release(releases.next(app), commit, image.id(), image.exposedPort(), own,
                    Instant.now(), by, "push " + commit.shortSha());
            try {
                publisher.publish(app, image.id(), release.label(), progress);
                return activate(app, release, progress);
            } catch (RuntimeException e) {
                discardUnreleased(app, image.id());
                throw e;
            }
        });
    }

    /**
     * The image of a deploy that failed after its build is no release's, so retention would never
     * delete it: it goes now, unless a release runs the same image (the same tree built again).
     */
    private void discardUnreleased(AppName app, String imageId) {
        try {
            if (releases.list(app).stream().noneMatch(r -> r.imageId().equals(imageId))) {
                builder.removeImage(app, imageId);
            }
        } catch (RuntimeException e) {
            log.warn("could not remove the image {} of a failed deploy of {}: {}", imageId, app, e.getMessage());
        }
    }

    private BuiltImage build(AppName app, SourceTree tree, Progress progress) {
        if (!builds.tryAcquire()) {
            progress.line("waiting for a build slot (--max-parallel-builds " + settings.maxParallelBuilds() + ")");
            builds.acquireUninterruptibly();
        }
        try {
            progress.stage("Building " + app + " (" + tree.commit().shortSha() + ")");
            return builder.build(app, tree.commit(), tree, progress);
        } catch (UserError e) {
            builder.pruneDangling();
            throw e;
        } finally {
            builds.release();
        }
    }

    private void checkDiskSpace() {
        for (Path path : settings.diskPaths()) {
            try {
                long free = Files.getFileStore(path).getUsableSpace();
                if (free < settings.minFreeBytes()) {
                    throw new UserError(String.format("only %.1f GiB free on %s, below the %.1f GiB a build needs (--min-free-space)",
                            free / (double) (1L << 30), path, settings.minFreeBytes() / (double) (1L << 30)));
                }
            } catch (IOException e) {
                log.debug("cannot measure free space on {}: {}", path, e.getMessage());
            }
        }
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

    /**
     * Makes a config change a release: the current image with the new keys, stored only once it
     * runs. Before the first push there is nothing to run, and the keys are just stored.
     */
    public void changeConfig(AppName app, SortedMap<String, String> own, boolean restart, Progress progress, String by,
                             String description) {
        locked(app, progress, () -> {
            Optional<Release> current = releases.current(app);
            if (current.isEmpty() || !restart) {
                storeConfig(app, own, List.of());
                return null;
            }
            Release now = current.get();
            return activate(app, new Release(releases.next(app), now.commit(), now.imageId(), now.port(), own,
                    Instant.now(), by, description), progress);
        });
    }

    /** Runs an earlier release's image with that release's config, as a new release; no build. */
    public Release rollback(AppName app, OptionalInt target, Progress progress, String by) {
        return locked(app, progress, () -> {
            Release current = releases.current(app).orElseThrow(() -> new UserError(app + " has no release yet"));
            int number = target.orElse(current.number() - 1);
            Release old = releases.find(app, number)
                    .orElseThrow(() -> new UserError(app + " has no release v" + number));
            if (!builder.exists(old.imageId())) {
                throw new UserError("cannot roll back to " + old.label() + ": its image was deleted (only the last "
                        + settings.keepReleases() + " releases keep theirs, --keep-releases)");
            }
            progress.stage("Rolling back " + app + " to " + old.label() + " (" + old.commit().shortSha() + ")");
            return activate(app, new Release(releases.next(app), old.commit(), old.imageId(), old.port(), old.config(),
                    Instant.now(), by, "rollback to " + old.label()), progress);
        });
    }

    /** Whether a release's image is still there to run. */
    public boolean canRun(Release release) {
        return builder.exists(release.imageId());
    }

    /** Points nginx at the app's running containers with this config's domains, without restarting them. */
    public void changeDomains(AppName app, SortedMap<String, String> own, Progress progress) {
        locked(app, progress, () -> {
            Route current = router.routes().get(app);
            if (current != null) {
                Route route = routeOf(app, configs.runConfig(app, own), current.backends());
                progress.stage("Routing " + String.join(", ", route.domains()));
                router.route(route);
            }
            storeConfig(app, own, List.of());
            return null;
        });
    }

    /** Stops and removes an app's containers and its route. */
    public void destroy(AppName app, Progress progress) {
        locked(app, progress, () -> {
            progress.stage("Removing " + app);
            router.unroute(app);
            for (AppContainer c : runner.list(app)) {
                runner.remove(c.id());
            }
            progress.line(app + " is stopped and unrouted");
            return null;
        });
    }

    /** Starts the release, switches to it, stores it with its config, drains the old containers. */
    private Release activate(AppName app, Release release, Progress progress) {
        awaitDrained(app, progress);
        RunConfig config = configs.runConfig(app, release.config());
        List<AppContainer> old = runner.list(app);
        List<Backend> started = start(app, release, config, progress);
        try {
            switchRoute(app, config, release.port().isPresent(), started, progress);
            storeConfig(app, release.config(), List.of(releases.record(app, release)));
        } catch (RuntimeException e) {
            started.forEach(b -> runner.remove(b.containerId()));
            restorePreviousRoute(app, old);
            throw e;
        }
        drain(app, old);
        retainImages(app);
        progress.stage(app + " " + release.label() + " is live" + (config.routed() && !started.isEmpty() && release.port().isPresent()
                ? " at " + settings.url(settings.defaultDomain(app)) : ""));
        return release;
    }

    /** Starts the release's containers and waits until each is ready and healthy; removes them all on failure. */
    private List<Backend> start(AppName app, Release release, RunConfig config, Progress progress) {
        int count = config.containers();
        progress.stage("Starting " + app + " " + release.label() + " (" + count + (count == 1 ? " container)" : " containers)"));
        if (release.port().isEmpty()) {
            progress.line("the image exposes no port: " + app + " runs, but nginx does not route it");
        }
        List<Backend> started = new ArrayList<>();
        try {
            String stamp = Long.toString(System.currentTimeMillis(), 36);
            for (int i = 1; i <= count; i++) {
                ContainerSpec spec = new ContainerSpec(app, release.number(), release.commit(), release.imageId(),
                        release.port(), config.env(), config.memoryLimitBytes(), app + "." + stamp + "." + i);
                Backend backend = runner.start(spec);
                started.add(backend);
                progress.line("started " + backend.containerName() + " (" + backend.shortId() + ")");
            }
            for (Backend backend : started) {
                runner.awaitReady(backend, settings.readyTimeout());
                if (config.health().isPresent() && release.port().isPresent()) {
                    runner.checkHealth(backend, config.health().get());
                    progress.line(backend.containerName() + " answers GET " + config.health().get().path());
                }
            }
            return started;
        } catch (RuntimeException e) {
            started.forEach(b -> runner.remove(b.containerId()));
            throw e;
        }
    }

    /** After a failure past the switch, nginx goes back to the containers that still run. */
    private void restorePreviousRoute(AppName app, List<AppContainer> old) {
        try {
            List<Backend> backends = old.stream().filter(AppContainer::running).flatMap(c -> c.backend().stream())
                    .filter(b -> b.hostPort() > 0).toList();
            RunConfig config = configs.runConfig(app);
            if (!backends.isEmpty() && config.routed()) {
                router.route(routeOf(app, config, backends));
            }
        } catch (RuntimeException e) {
            log.warn("could not restore the previous route of {}: {}", app, e.getMessage());
        }
    }

    private void storeConfig(AppName app, SortedMap<String, String> own, List<StateStore.Change> more) {
        SortedMap<String, String> stored = configs.own(app);
        Set<String> removed = new TreeSet<>(stored.keySet());
        removed.removeAll(own.keySet());
        Map<String, String> changed = new TreeMap<>();
        own.forEach((k, v) -> {
            if (!v.equals(stored.get(k))) {
                changed.put(k, v);
            }
        });
        List<StateStore.Change> changes = new ArrayList<>(configs.changes(app, changed, removed));
        changes.addAll(more);
        if (!changes.isEmpty()) {
            store.apply(changes);
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
    }

    private Route routeOf(AppName app, RunConfig config, List<Backend> backends) {
        LinkedHashSet<String> domains = new LinkedHashSet<>();
        domains.add(settings.defaultDomain(app));
        domains.addAll(config.domains());
        return new Route(app, List.copyOf(domains), backends);
    }

    /**
     * Lets the old containers finish what nginx's old workers still send them, then stops them
     * with SIGTERM. Runs in the background: the push has returned by then.
     */
    private void drain(AppName app, List<AppContainer> old) {
        if (old.isEmpty()) {
            return;
        }
        CompletableFuture<Void> task = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(settings.drainGrace().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, STOPPERS).thenCompose(ignored -> CompletableFuture.allOf(old.stream()
                .map(c -> CompletableFuture.runAsync(() -> stopQuietly(app, c), STOPPERS))
                .toArray(CompletableFuture[]::new)));
        draining.merge(app, task, (a, b) -> CompletableFuture.allOf(a, b));
    }

    /** Stops run side by side: each may wait the whole stop timeout for a process that ignores SIGTERM. */
    private static final java.util.concurrent.ExecutorService STOPPERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "drain");
        t.setDaemon(true);
        return t;
    });

    private void stopQuietly(AppName app, AppContainer c) {
        try {
            runner.stop(c.id(), settings.stopTimeout());
        } catch (RuntimeException e) {
            log.warn("could not stop {} of {}: {}", c.name(), app, e.getMessage());
        }
    }

    private void awaitDrained(AppName app, Progress progress) {
        CompletableFuture<Void> pending = draining.get(app);
        if (pending != null && !pending.isDone()) {
            progress.line("waiting for the previous containers of " + app + " to drain");
            pending.join();
        }
        draining.remove(app, pending);
    }

    /** Keeps the images of the last releases and deletes the older ones. */
    private void retainImages(AppName app) {
        List<Release> all = releases.list(app);
        Set<String> kept = new TreeSet<>();
        for (int i = Math.max(0, all.size() - settings.keepReleases()); i < all.size(); i++) {
            kept.add(all.get(i).imageId());
        }
        Set<String> old = new TreeSet<>();
        all.forEach(r -> old.add(r.imageId()));
        old.removeAll(kept);
        for (String image : old) {
            builder.removeImage(app, image);
        }
    }

    /**
     * Brings what runs in line with the last releases, as after a crash or a reboot: containers of
     * failed or interrupted deploys go, an app whose containers are missing gets new ones, and nginx
     * is rendered anew with the ports Docker gives now.
     */
    public void restoreRoutes() {
        reconcile(configs.apps());
    }

    void reconcile(List<AppName> apps) {
        Set<AppName> known = new TreeSet<>(apps);
        // containers of apps the state does not know are left alone: a wiped or wrong state store
        // must not take every app down with it
        runner.list().stream().filter(c -> !known.contains(c.app())).map(AppContainer::app).distinct()
                .forEach(app -> log.warn("containers of {} run, but the state store does not know the app: left alone", app));
        List<Route> routes = new ArrayList<>();
        for (AppName app : known) {
            try {
                locked(app, Progress.SILENT, () -> {
                    reconcile(app).ifPresent(routes::add);
                    return null;
                });
            } catch (UserError e) {
                log.warn("could not bring {} back: {}", app, e.getMessage());
            }
        }
        router.replaceAll(routes);
    }

    private Optional<Route> reconcile(AppName app) {
        Optional<Release> current = releases.current(app);
        List<AppContainer> containers = runner.list(app);
        if (current.isEmpty()) {
            containers.forEach(c -> runner.remove(c.id()));
            removeUnreleasedImages(app);
            return Optional.empty();
        }
        Release release = current.get();
        RunConfig config = configs.runConfig(app, release.config());
        List<AppContainer> good = containers.stream().filter(c -> c.release() == release.number() && c.running()).toList();
        containers.stream().filter(c -> !good.contains(c)).forEach(c -> {
            log.info("removing leftover container {} of {}", c.name(), app);
            runner.remove(c.id());
        });
        removeUnreleasedImages(app);
        List<Backend> backends = good.stream().flatMap(c -> c.backend().stream()).toList();
        if (good.size() != config.containers()) {
            log.info("{} runs {} of {} containers of {}: starting them anew", app, good.size(), config.containers(), release.label());
            backends = start(app, release, config, Progress.SILENT);
            good.forEach(c -> runner.remove(c.id()));
        }
        RunConfig routing = configs.runConfig(app);
        if (backends.isEmpty() || release.port().isEmpty() || !routing.routed()) {
            return Optional.empty();
        }
        return Optional.of(routeOf(app, routing, backends));
    }

    /**
     * Deletes the images of the app's repository that no release runs: those of deploys that were
     * interrupted after their build (octod killed during a health check or a switch). Holding the
     * app's lock, no deploy of the app is between its build and its release. Release ids may be
     * short ids, as "Successfully built" prints them.
     */
    private void removeUnreleasedImages(AppName app) {
        try {
            List<String> released = releases.list(app).stream().map(r -> r.imageId().replaceFirst("^sha256:", "")).toList();
            for (String image : builder.images(app)) {
                String id = image.replaceFirst("^sha256:", "");
                if (released.stream().noneMatch(r -> id.startsWith(r) || r.startsWith(id))) {
                    log.info("removing image {} of {}: no release runs it", id.substring(0, Math.min(12, id.length())), app);
                    builder.removeImage(app, image);
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not remove the unreleased images of {}: {}", app, e.getMessage());
        }
    }

    /**
     * Re-routes apps whose containers' host ports changed (Docker restarted them), leaving apps
     * that are being deployed alone. Cheap when nothing changed.
     */
    public void refreshRoutes() {
        refreshRoutes(configs.apps());
    }

    void refreshRoutes(List<AppName> apps) {
        Map<AppName, Route> routed = router.routes();
        Map<AppName, List<AppContainer>> byApp = new TreeMap<>();
        runner.list().forEach(c -> byApp.computeIfAbsent(c.app(), k -> new ArrayList<>()).add(c));
        for (AppName app : apps) {
            ReentrantLock lock = locks.computeIfAbsent(app, k -> new ReentrantLock());
            if (!lock.tryLock()) {
                continue;
            }
            try {
                Optional<Release> current = releases.current(app);
                if (current.isEmpty() || current.get().port().isEmpty()) {
                    continue;
                }
                // domains change without a release: route with the stored config
                RunConfig config = configs.runConfig(app);
                List<Backend> backends = byApp.getOrDefault(app, List.of()).stream()
                        .filter(c -> c.release() == current.get().number() && c.running())
                        .flatMap(c -> c.backend().stream()).filter(b -> b.hostPort() > 0).toList();
                if (!config.routed() || backends.isEmpty()) {
                    continue;
                }
                Route route = routed.get(app);
                Set<Integer> now = new TreeSet<>(backends.stream().map(Backend::hostPort).toList());
                Set<Integer> was = route == null ? Set.of() : new TreeSet<>(route.backends().stream().map(Backend::hostPort).toList());
                if (!now.equals(was)) {
                    log.info("{} moved to ports {}: routing it there", app, now);
                    router.route(routeOf(app, config, backends));
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Runs work holding the app's lock, so it sees no other deploy, restart or config change of the
     * app. A caller that has to wait is told so.
     */
    public <T> T locked(AppName app, Progress progress, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(app, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            progress.line("waiting for the deploy of " + app + " to finish");
            lock.lock();
        }
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the app's lock until {@link #unlock}: a push holds it from its check of the ref to the ref's update. */
    public void lock(AppName app, Progress progress) {
        ReentrantLock lock = locks.computeIfAbsent(app, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            progress.line("waiting for the deploy of " + app + " to finish");
            lock.lock();
        }
    }

    public void unlock(AppName app) {
        locks.get(app).unlock();
    }
}
