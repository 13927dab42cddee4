package io.octohost.run;

import io.octohost.app.Backend;
import io.octohost.app.Progress;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A release's instances on their way in, as {@link ContainerRunner#start} began them: wait until they
 * are fit to serve, then route to them and drain the ones they replace; or take them back.
 */
public interface Rollout {
    /**
     * Waits until every new instance runs, listens (within {@code readyTimeout}) and passes the
     * release's health check, and returns them, to route. While it waits, {@code serving} is told the
     * instances that may take traffic whenever they change (a Swarm replaces old tasks by new ones
     * as it goes; the docker runner never calls it: its old containers serve until the switch).
     * @throws io.octohost.app.UserError when one exits, does not listen in time, or fails the check
     */
    List<Backend> awaitHealthy(Duration readyTimeout, Progress progress, Consumer<List<Backend>> serving);

    /** The app's instances this rollout replaces, to drain once nginx routes to the new ones. */
    List<AppContainer> replaced();

    /**
     * Takes the rollout back, also one that stopped half-way: the app runs what it ran before, and
     * {@code serving} is told the instances to route while that happens.
     */
    void undo(Consumer<List<Backend>> serving);
}
