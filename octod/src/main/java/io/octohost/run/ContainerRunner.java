package io.octohost.run;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.RunSpec;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the instances of apps' releases: the contract an engine fulfils. Two do: the local Docker
 * engine ({@code run.docker}: containers beside the old ones, switched by nginx, old ones drained)
 * and a Docker Swarm ({@code run.swarm}: one service per app, rolled by Swarm). The only part of
 * octod that starts containers.
 */
public interface ContainerRunner {
    /**
     * Starts the release's instances beside the running ones, which keep serving, telling progress
     * of each. If one cannot start, those started are taken back and a {@link io.octohost.app.UserError} says why.
     */
    Rollout start(RunSpec spec, Progress progress);

    /**
     * After a restart or a crash: makes the app run the spec's release as it should (instances of
     * another release, e.g. of a deploy a crash interrupted, go; missing ones start) and returns the
     * instances to route, fit to serve.
     */
    List<Backend> restore(RunSpec spec, Duration readyTimeout);

    /** Whether the release's image is still there to run again (a rollback needs it). */
    boolean canRun(Release release);

    /** Stops a replaced instance gracefully (SIGTERM, then SIGKILL after the timeout) once it drained. */
    void retire(AppContainer instance, Duration stopTimeout);

    /** Removes every instance of the app at once, draining ones too; none is fine. */
    void removeAll(AppName app);

    /**
     * Writes the app's output, the last {@code tail} lines of each instance, then as it comes if
     * {@code follow}, until the instances stop or the sink fails (the reader went away).
     */
    void logs(AppName app, int tail, boolean follow, Consumer<byte[]> sink);

    /** Every instance octod runs, running or not. */
    List<AppContainer> list();

    default List<AppContainer> list(AppName app) {
        return list().stream().filter(c -> c.app().equals(app)).toList();
    }

    /** The instances on this host: the ones its Consul agent registers. */
    default List<AppContainer> listLocal() {
        return list();
    }
}
