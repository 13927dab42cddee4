package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Release;
import io.octohost.app.RunConfig;
import io.octohost.app.RunSpec;
import io.octohost.route.Router;
import io.octohost.run.ContainerRunner;

import java.util.Optional;

/**
 * Starts the release's instances beside the running ones, which keep serving, and notes the route
 * nginx has before the deploy. Undone, the new instances go and the app runs what it ran before.
 */
final class StartContainers implements Step {
    private final ContainerRunner runner;
    private final Router router;

    StartContainers(ContainerRunner runner, Router router) {
        this.runner = runner;
        this.router = router;
    }

    /** What to run of a release with a config. */
    static RunSpec spec(AppName app, Release release, RunConfig config) {
        return new RunSpec(app, release.number(), release.commit(), release.imageId(), release.published(), release.port(),
                config.env(), config.memoryLimitBytes(), config.capabilities(), config.containers(), config.health(),
                config.placement());
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
        deploy.previousRoute(Optional.ofNullable(router.routes().get(deploy.app())));
        deploy.rollout(runner.start(spec(deploy.app(), release, deploy.run()), deploy.progress()));
    }

    @Override
    public void undo(Deploy deploy) {
        deploy.rollout().ifPresent(rollout -> rollout.undo(new FollowRollout(router, deploy)));
    }
}
