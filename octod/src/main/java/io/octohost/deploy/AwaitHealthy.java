package io.octohost.deploy;

import io.octohost.run.ContainerRunner;

import java.time.Duration;

/** Waits until every new container runs, listens (within --ready-timeout) and passes the app's health check. */
final class AwaitHealthy implements Step {
    private final ContainerRunner runner;
    private final Duration readyTimeout;

    AwaitHealthy(ContainerRunner runner, Duration readyTimeout) {
        this.runner = runner;
        this.readyTimeout = readyTimeout;
    }

    @Override
    public String timing() {
        return "ready";
    }

    @Override
    public void run(Deploy deploy) {
        runner.awaitHealthy(deploy.started(), readyTimeout, deploy.run().health(), deploy.progress());
    }
}
