package io.octohost.builds;

import io.octohost.app.ArtifactSink;
import io.octohost.app.BuildControl;
import io.octohost.app.BuildStatus;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.Stopped;
import io.octohost.app.UserError;
import io.octohost.callbacks.BuildCallbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One build while it runs: each status change goes to its record, then to its status callbacks, in
 * order; each line of output to its log, its log callbacks and whoever else watches (the pusher's
 * sideband). It is the Progress the pipeline writes to, where it keeps the build's artifacts, and
 * holds the controls that stop it.
 */
final class RunningBuild implements Progress, ArtifactSink {
    private static final Logger log = LoggerFactory.getLogger(RunningBuild.class);
    private final BuildStore store;
    private final BuildCallbacks callbacks;
    private final Progress watcher;
    private final Clock clock;
    private final BuildControl control;
    private final Hooks hooks;
    private final CountDownLatch ended = new CountDownLatch(1);
    private Build record;
    private ScheduledFuture<?> timeout;

    /** What else happens when a build starts building (its timeout is armed) and when it has ended. */
    interface Hooks {
        void building(RunningBuild build);

        void ended(RunningBuild build);
    }

    RunningBuild(Build record, BuildStore store, BuildCallbacks callbacks, Progress watcher, Clock clock, Hooks hooks) {
        this.record = record;
        this.store = store;
        this.callbacks = callbacks;
        this.watcher = watcher;
        this.clock = clock;
        this.hooks = hooks;
        this.control = new BuildControl(() -> {
            to(BuildStatus.BUILDING, null);
            hooks.building(this);
        });
        callbacks.status(record.status());
    }

    synchronized Build record() {
        return record;
    }

    BuildControl control() {
        return control;
    }

    /** The build's timeout, cancelled when it ends. */
    synchronized void timeout(ScheduledFuture<?> timer) {
        this.timeout = timer;
    }

    /**
     * Runs the deploy, {@code queued} until it holds the app's lock and a build slot, and records how it
     * ended: the release it made, or why it failed or was stopped (a bug as a reference to octod's log).
     * @throws UserError what the deploy failed with, for a caller that answers a pusher
     */
    Release run(Function<BuildControl, Release> deploy) {
        try {
            to(BuildStatus.QUEUED, null);
            Release release = deploy.apply(control);
            synchronized (this) {
                record = record.withRelease(release.label());
            }
            end(BuildStatus.SUCCEEDED, null);
            return release;
        } catch (Stopped e) {
            end(e.status(), e.getMessage());
            throw e;
        } catch (UserError e) {
            end(BuildStatus.FAILED, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            String ref = java.util.UUID.randomUUID().toString().substring(0, 8);
            log.error("build {} failed [{}]", record().key(), ref, e);
            String reason = "internal error, see octod's log [" + ref + "]";
            end(BuildStatus.FAILED, reason);
            throw new UserError(reason, e);
        } finally {
            synchronized (this) {
                if (timeout != null) {
                    timeout.cancel(false);
                }
            }
            callbacks.close();
            hooks.ended(this);
            ended.countDown();
        }
    }

    /** Waits until the build has ended, at most {@code timeout}. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void end(BuildStatus status, String reason) {
        String outcome = "build " + status.label() + (reason == null ? "" : ": " + reason);
        log.info("{} of {}: {}", record().id(), record().app(), outcome);
        write("-----> " + outcome);
        to(status, reason);
    }

    private synchronized void to(BuildStatus status, String reason) {
        record = store.update(record.to(status, clock.instant(), reason));
        callbacks.status(status);
    }

    @Override
    public void stage(String text) {
        watcher.stage(text);
        write("-----> " + text);
    }

    @Override
    public void line(String text) {
        watcher.line(text);
        write("       " + text);
    }

    @Override
    public void keep(String name, Content content) throws IOException {
        Build b = record();
        store.artifacts().keep(b.app(), b.id(), name, content);
    }

    private void write(String line) {
        Build b = record();
        store.appendLog(b.app(), b.id(), line);
        callbacks.line(line);
    }
}
