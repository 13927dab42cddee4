package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Release;
import io.octohost.app.RunConfig;
import io.octohost.app.RunSpec;
import io.octohost.run.ContainerRunner;

/** Starts the release's containers beside the running ones, which stay untouched. Undone, they go. */
final class StartContainers implements Step {
    private final ContainerRunner runner;

    StartContainers(ContainerRunner runner) {
        this.runner = runner;
    }

    /** What to run of a release with a config. */
    static RunSpec spec(AppName app, Release release, RunConfig config) {
        return new RunSpec(app, release.number(), release.commit(), release.imageId(), release.port(),
                config.env(), config.memoryLimitBytes(), config.containers());
    }

    @Override
    public String timing() {
        return "start";
    }

    @Override
    public void run(Deploy deploy) {
        Release release = deploy.release();
        int count = deploy.run().containers();
        deploy.progress().stage("Starting " + deploy.app() + " " + release.label() + " (" + count
                + (count == 1 ? " container)" : " containers)"));
        if (release.port().isEmpty()) {
            deploy.progress().line("the image exposes no port: " + deploy.app() + " runs, but nginx does not route it");
        }
        deploy.before(runner.list(deploy.app()));
        deploy.started(runner.start(spec(deploy.app(), release, deploy.run()), deploy.progress()));
    }

    @Override
    public void undo(Deploy deploy) {
        deploy.started().stream().map(Backend::containerId).forEach(runner::remove);
    }
}
