package io.octohost.builds;

import com.fasterxml.jackson.databind.node.NullNode;
import io.octohost.app.AppName;
import io.octohost.app.ArtifactSink;
import io.octohost.app.BuildControl;
import io.octohost.app.BuildId;
import io.octohost.app.BuildStatus;
import io.octohost.app.ConfigKeys;
import io.octohost.app.NotFound;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.UserError;
import io.octohost.app.WrongState;
import io.octohost.callbacks.BuildCallbacks;
import io.octohost.callbacks.CallbackTarget;
import io.octohost.callbacks.Callbacks;
import io.octohost.deploy.BranchUpdate;
import io.octohost.deploy.Pipeline;
import io.octohost.deploy.Push;
import io.octohost.deploy.SourceBuild;
import io.octohost.source.Source;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Every build, whatever started it, as a record that goes through the one deploy pipeline: a git push
 * (run on the pusher's thread, its output on the sideband too) or a build asked for over the API (run
 * on a thread of its own). Statuses go to the record and the callbacks in order; a build can be
 * cancelled, and is stopped {@code timedout} past the app's BUILD_TIMEOUT (or --build-timeout) from
 * the moment it starts building.
 */
public final class Builds implements BuildService {
    private static final Logger log = LoggerFactory.getLogger(Builds.class);
    /** How long a cancel waits for the build to have stopped before it answers. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(10);
    private final BuildStore store;
    private final Pipeline pipeline;
    private final AppClaims claims;
    private final AppConfigs configs;
    private final Callbacks callbacks;
    private final Duration defaultTimeout;
    private final Clock clock;
    private final Map<String, RunningBuild> running = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> daemon(r, "build"));
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "build-timeouts"));
    /** A build is timed from the moment it builds, and forgotten once it ends. */
    private final RunningBuild.Hooks hooks = new RunningBuild.Hooks() {
        @Override
        public void building(RunningBuild build) {
            Build b = build.record();
            Duration limit = timeoutOf(b.app());
            String reason = "building took longer than " + limit.toSeconds() + " s (BUILD_TIMEOUT, or --build-timeout)";
            build.timeout(timeouts.schedule(() -> build.control().stop(BuildStatus.TIMEDOUT, reason), limit.toMillis(),
                    TimeUnit.MILLISECONDS));
        }

        @Override
        public void ended(RunningBuild build) {
            running.remove(build.record().key());
        }
    };

    public Builds(BuildStore store, Pipeline pipeline, AppClaims claims, AppConfigs configs, Callbacks callbacks,
                  Duration defaultTimeout, Clock clock) {
        this.store = store;
        this.pipeline = pipeline;
        this.claims = claims;
        this.configs = configs;
        this.callbacks = callbacks;
        this.defaultTimeout = defaultTimeout;
        this.clock = clock;
    }

    @Override
    public Build submit(BuildRequest request) {
        if (claims.owner(request.app()).isEmpty()) {
            throw new NotFound("unknown app '" + request.app() + "'");
        }
        Build record = store.create(Build.pending(request.id(), request.app(), request.trigger(), request.by(),
                request.source().describe(), clock.instant(), request.metadata(), request.info()));
        RunningBuild build = start(record, request.statusCallbacks(), request.logCallbacks(), Progress.SILENT);
        SourceBuild what = new SourceBuild(request.app(), request.source(), request.destination(), request.arguments(),
                request.by(), "build " + request.id());
        inBackground(build, control -> pipeline.build(what, build, control, build));
        return record;
    }

    /**
     * A pushed branch as a build that goes on apart from the push ({@code git push -o detach}): the
     * record is made and queued, and the pusher gets it back at once; its output goes to its log.
     * The pipeline moves the branch at its end, as for any push, only if it succeeded.
     * @throws UserError for the first push of an app: that build decides whether the app exists
     */
    public Build pushDetached(Push push) {
        if (claims.owner(push.app()).isEmpty()) {
            throw new UserError("the first push of " + push.app() + " cannot be detached: push without -o detach");
        }
        Build record = store.create(Build.pending(BuildId.random(), push.app(), Trigger.GIT_PUSH, push.by(),
                new Source.Commit(push.tree().commit().sha()).describe(), clock.instant(), NullNode.getInstance(), null));
        RunningBuild build = start(record, List.of(), List.of(), Progress.SILENT);
        inBackground(build, control -> pipeline.push(push, build, control, build));
        return record;
    }

    /**
     * A pushed branch as a build: deployed on the pusher's thread, its output on the sideband as well;
     * when the pusher hangs up, the build is cancelled. A push that does not get to deploy the app
     * leaves no build behind: one to another repo's (or branch's) app, or a first push that failed
     * (the app's name is given back, and its repo goes).
     * @throws UserError why the push is rejected
     */
    public Release push(Push push, Progress sideband, CompletionStage<?> hangUp) {
        Optional<AppClaims.Owner> owner = claims.owner(push.app());
        if (owner.isPresent() && !owner.get().equals(push.owner())) {
            return pipeline.push(push, sideband, BuildControl.none(), ArtifactSink.NONE); // refused, naming the owner
        }
        Build record = store.create(Build.pending(BuildId.random(), push.app(), Trigger.GIT_PUSH, push.by(),
                new Source.Commit(push.tree().commit().sha()).describe(), clock.instant(), NullNode.getInstance(), null));
        RunningBuild build = start(record, List.of(), List.of(), sideband);
        hangUp.thenRun(() -> build.control().stop(BuildStatus.CANCELLED, "the pusher hung up"));
        try {
            return build.run(control -> pipeline.push(push, build, control, build));
        } catch (UserError e) {
            if (owner.isEmpty() && claims.owner(push.app()).isEmpty()) {
                store.forget(record);
            }
            throw e;
        }
    }

    /**
     * A push made elsewhere (a GitHub webhook), recorded at once and run on a thread of its own:
     * {@code fetch} brings the pushed commit into the app's repo as the push a git client would have
     * made, which then deploys as one. A failed fetch fails the build.
     */
    public Build push(BuildId id, AppName app, Trigger trigger, String by, Source source, List<CallbackTarget> status,
                      BiFunction<Progress, BuildControl, Push> fetch) {
        Build record = store.create(Build.pending(id, app, trigger, by, source.describe(), clock.instant(), NullNode.getInstance(), null));
        RunningBuild build = start(record, status, List.of(), Progress.SILENT);
        inBackground(build, control -> pipeline.push(fetch.apply(build, control), build, control, build));
        return record;
    }

    /** Runs the build on a thread of its own, named after it. */
    private void inBackground(RunningBuild build, Function<BuildControl, Release> deploy) {
        threads.execute(() -> {
            Thread.currentThread().setName("build-" + build.record().key());
            try {
                build.run(deploy);
            } catch (UserError e) {
                // recorded, logged and reported by the build itself
            } finally {
                Thread.currentThread().setName("build");
            }
        });
    }

    /** A branch deletion: removes the app the branch deploys (if the branch owns it), and its builds once the app is gone. */
    public void deleteBranch(AppName app, AppClaims.Owner owner, BranchUpdate branch, Progress progress) {
        pipeline.deleteBranch(app, owner, branch, progress);
        if (claims.owner(app).isEmpty()) {
            store.forget(app);
        }
    }

    /** @throws UserError when a callback cannot be used: the build is recorded failed, and never runs */
    private RunningBuild start(Build record, List<CallbackTarget> status, List<CallbackTarget> logs, Progress watcher) {
        BuildCallbacks reports;
        try {
            reports = callbacks.open(record.key(), record.metadata(), status, logs);
        } catch (UserError e) {
            store.update(record.to(BuildStatus.FAILED, clock.instant(), e.getMessage()));
            throw e;
        }
        RunningBuild build = new RunningBuild(record, store, reports, watcher, clock, hooks);
        running.put(record.key(), build);
        return build;
    }

    /** The app's BUILD_TIMEOUT, else --build-timeout; a value set behind octod's back (in Consul) that does not parse is logged. */
    private Duration timeoutOf(AppName app) {
        try {
            return ConfigKeys.buildTimeout(configs.effective(app, configs.own(app))).orElse(defaultTimeout);
        } catch (UserError e) {
            log.warn("{}: {}; the build gets --build-timeout", app, e.getMessage());
            return defaultTimeout;
        }
    }

    @Override
    public Build cancel(AppName app, BuildId id, String by) {
        Build build = find(app, id).orElseThrow(() -> new NotFound("no build '" + id + "' of " + app));
        RunningBuild run = running.get(build.key());
        if (build.status().ended() || run == null) {
            throw new WrongState("build '" + id + "' of " + app + " is not running: it " + build.status().label());
        }
        if (!run.control().stop(BuildStatus.CANCELLED, "cancelled by " + by)) {
            throw new WrongState("build '" + id + "' of " + app + " cannot be stopped now: "
                    + (run.control().sealed() ? "its release is being switched live" : "it is being stopped already"));
        }
        try {
            run.awaitEnd(CANCEL_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return run.record();
    }

    @Override
    public Optional<Build> find(AppName app, BuildId id) {
        return store.find(app, id);
    }

    @Override
    public List<Build> list(AppName app) {
        return store.list(app);
    }

    @Override
    public void forget(AppName app) {
        store.forget(app);
    }

    @Override
    public List<BuildArtifacts.Artifact> artifacts(AppName app, BuildId id) {
        return store.artifacts().list(app, id);
    }

    @Override
    public BuildArtifacts.Artifact artifact(AppName app, BuildId id, String name) {
        return store.artifacts().find(app, id, name);
    }

    @Override
    public void writeArtifact(AppName app, BuildId id, String name, OutputStream out) throws IOException {
        store.artifacts().write(app, id, name, out);
    }

    @Override
    public void writeLog(AppName app, BuildId id, boolean follow, OutputStream out) throws IOException {
        store.writeLog(app, id, follow, out);
    }

    @Override
    public BuildEvents.Watch watch(java.util.function.Consumer<Build> watcher) {
        return store.events().watch(watcher);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
