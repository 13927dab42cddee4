package io.octohost.deploy;

import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;

/** Removes every container of the app at once, draining ones too. */
final class RemoveContainers implements Step {
    private final ContainerRunner runner;

    RemoveContainers(ContainerRunner runner) {
        this.runner = runner;
    }

    @Override
    public void run(Deploy deploy) {
        runner.list(deploy.app()).stream().map(AppContainer::id).forEach(runner::remove);
        deploy.progress().line(deploy.app() + " is stopped and unrouted");
    }
}
