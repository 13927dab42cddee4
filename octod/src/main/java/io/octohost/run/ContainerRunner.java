package io.octohost.run;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.HealthCheck;
import io.octohost.app.Progress;
import io.octohost.app.RunSpec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the instances of apps' releases: the contract an engine fulfils (the local Docker engine
 * today; Swarm services would fulfil the same). The only part of octod that starts containers.
 */
public interface ContainerRunner {
    /**
     * Starts the release's instances and returns the backends to route to, telling progress of each.
     * If one cannot start, those started are removed and a {@link io.octohost.app.UserError} says why.
     */
    List<Backend> start(RunSpec spec, Progress progress);

    /**
     * Waits until every instance runs and accepts TCP connections on its port, then, with a check,
     * until it answers the HTTP health check.
     * @throws io.octohost.app.UserError when one exits, does not listen in time, or fails the check
     */
    void awaitHealthy(List<Backend> instances, Duration readyTimeout, Optional<HealthCheck> check, Progress progress);

    /** Stops an instance gracefully (SIGTERM, then SIGKILL after the timeout) and removes it. */
    void retire(String containerId, Duration stopTimeout);

    /** Removes an instance at once; one already gone is fine. */
    void remove(String containerId);

    /**
     * Writes the output of an instance, the last {@code tail} lines, then as it comes if
     * {@code follow}, until it stops or the sink fails (the reader went away).
     */
    void logs(String containerId, int tail, boolean follow, Consumer<byte[]> sink);

    /** Every instance of this octod, running or not. */
    List<AppContainer> list();

    default List<AppContainer> list(AppName app) {
        return list().stream().filter(c -> c.app().equals(app)).toList();
    }
}
