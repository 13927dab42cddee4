package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Commit;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.Route;
import io.octohost.app.RunConfig;
import io.octohost.run.AppContainer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * One run of the pipeline for one app: who asked and why, and what each step found or made for the
 * steps after it (the config, the image, the containers started, the route before the switch).
 * Confined to the thread that runs the pipeline.
 */
final class Deploy {
    private final AppName app;
    private final Progress progress;
    private final String by;
    private final IntSupplier nextNumber;
    private final List<String> timings = new ArrayList<>();
    private String description;
    private SortedMap<String, String> config;
    private RunConfig run;
    private Commit commit;
    private String imageId;
    private OptionalInt port = OptionalInt.empty();
    private Release release;
    private List<AppContainer> before = List.of();
    private List<Backend> started = List.of();
    private Optional<Route> previousRoute = Optional.empty();
    private AppLocks.Held lock;

    Deploy(AppName app, Progress progress, String by, String description, IntSupplier nextNumber) {
        this.app = app;
        this.progress = progress;
        this.by = by;
        this.description = description;
        this.nextNumber = nextNumber;
    }

    AppName app() {
        return app;
    }

    Progress progress() {
        return progress;
    }

    void describe(String text) {
        this.description = text;
    }

    /** The app's own keys this deploy runs and stores, and how the app runs with them: computed once. */
    void config(SortedMap<String, String> own, RunConfig runConfig) {
        this.config = new TreeMap<>(own);
        this.run = runConfig;
    }

    SortedMap<String, String> config() {
        return config;
    }

    RunConfig run() {
        return run;
    }

    /** The image to run: built now, the current release's, or an earlier one's. */
    void image(Commit commit, String imageId, OptionalInt port) {
        this.commit = commit;
        this.imageId = imageId;
        this.port = port;
    }

    String imageId() {
        return imageId;
    }

    /** The release this deploy makes, numbered when first asked for (under the app's lock). */
    Release release() {
        if (release == null) {
            release = new Release(nextNumber.getAsInt(), commit, imageId, port, config, Instant.now(), by, description);
        }
        return release;
    }

    /** The app's containers before this deploy started any. */
    void before(List<AppContainer> containers) {
        this.before = List.copyOf(containers);
    }

    List<AppContainer> before() {
        return before;
    }

    void started(List<Backend> backends) {
        this.started = List.copyOf(backends);
    }

    List<Backend> started() {
        return started;
    }

    void previousRoute(Optional<Route> route) {
        this.previousRoute = route;
    }

    Optional<Route> previousRoute() {
        return previousRoute;
    }

    void hold(AppLocks.Held held) {
        this.lock = held;
    }

    /** Lets go of the app's lock, if this deploy holds it. */
    void letGo() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    void timed(String step, long nanos) {
        if (step != null) {
            timings.add(String.format("%s %.2fs", step, nanos / 1e9));
        }
    }

    /** {@code build 1.21s, start 0.30s, ...}: the time of each step shown, in order; empty if none. */
    String timings() {
        return String.join(", ", timings);
    }
}
