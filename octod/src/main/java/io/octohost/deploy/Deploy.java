package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.BuildControl;
import io.octohost.app.BuildSpec;
import io.octohost.app.Commit;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.Route;
import io.octohost.app.RunConfig;
import io.octohost.app.SourceTree;
import io.octohost.run.AppContainer;
import io.octohost.run.Rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * One run of the pipeline for one app: who asked and why, the controls of its build, and what each
 * step found or made for the steps after it (the tree, the config, the image, the containers started,
 * the route before the switch). Confined to the thread that runs the pipeline.
 */
final class Deploy {
    private final AppName app;
    private final Progress progress;
    private final BuildControl control;
    private final String by;
    private final IntSupplier nextNumber;
    private final List<String> timings = new ArrayList<>();
    private String description;
    private SortedMap<String, String> config;
    private RunConfig run;
    private SourceTree tree;
    private BuildSpec buildSpec = BuildSpec.DEFAULT;
    private Optional<Commit> commit = Optional.empty();
    private String imageId;
    private Optional<String> published = Optional.empty();
    private OptionalInt port = OptionalInt.empty();
    private SortedMap<String, String> processes = new TreeMap<>();
    private Release release;
    private Rollout rollout;
    private List<Backend> started = List.of();
    private Optional<Route> previousRoute = Optional.empty();
    private AppLocks.Held lock;
    private Runnable slot;

    Deploy(AppName app, Progress progress, BuildControl control, String by, String description, IntSupplier nextNumber) {
        this.app = app;
        this.progress = progress;
        this.control = control;
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

    BuildControl control() {
        return control;
    }

    /** The source tree to build: pushed, or fetched by a step. */
    void tree(SourceTree sourceTree) {
        this.tree = sourceTree;
    }

    SourceTree tree() {
        return tree;
    }

    /** How the tree is built: its build file's section for the branch, or the default. */
    void buildSpec(BuildSpec spec) {
        this.buildSpec = spec;
    }

    BuildSpec buildSpec() {
        return buildSpec;
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

    /**
     * The image to run: built now (from a commit), pulled (no commit), the current release's, or an
     * earlier one's (and where the registry has it).
     */
    void image(Optional<Commit> commit, String imageId, Optional<String> published, OptionalInt port) {
        this.commit = commit;
        this.imageId = imageId;
        this.published = published;
        this.port = port;
    }

    /** The image as the registry has it now, pushed by this deploy (as its release, already numbered for the tag). */
    void published(Optional<String> reference) {
        this.published = reference;
        if (release != null) {
            release = new Release(release.number(), commit, imageId, published, port, config, release.time(), by, description,
                    processes);
        }
    }

    String imageId() {
        return imageId;
    }

    /** The image's process types, from its Procfile (none: web only, the image's CMD). */
    void processes(SortedMap<String, String> commands) {
        this.processes = new TreeMap<>(commands);
    }

    /** The release this deploy makes, numbered when first asked for (under the app's lock). */
    Release release() {
        if (release == null) {
            release = new Release(nextNumber.getAsInt(), commit, imageId, published, port, new TreeMap<>(config), Instant.now(), by,
                    description, processes);
        }
        return release;
    }

    /** The release's instances on their way in, as the runner started them. */
    void rollout(Rollout started) {
        this.rollout = started;
    }

    Optional<Rollout> rollout() {
        return Optional.ofNullable(rollout);
    }

    /** The new instances, fit to serve: what nginx routes to. */
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

    /** Holds a build slot until {@link #releaseSlot()}. */
    void holdSlot(Runnable release) {
        this.slot = release;
    }

    /** Gives the build slot back, if this deploy holds one: once the image is there, or when the deploy ends. */
    void releaseSlot() {
        if (slot != null) {
            slot.run();
            slot = null;
        }
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
