package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Procfile;
import io.octohost.app.Release;
import io.octohost.app.RunConfig;
import io.octohost.app.RunSpec;
import io.octohost.route.Router;
import io.octohost.run.ContainerRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

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

    /**
     * What to run of a release with a config, one spec per process type, web first: web is routed
     * and checked; the others run their command, with no port and no check.
     */
    static List<RunSpec> specs(AppName app, Release release, RunConfig config) {
        List<RunSpec> specs = new ArrayList<>();
        for (String type : release.types()) {
            boolean web = Procfile.WEB.equals(type);
            List<String> command = Optional.ofNullable(release.processes().get(type)).map(Procfile::command).orElse(List.of());
            RunSpec spec = new RunSpec(app, release.number(), release.commit(), release.imageId(), release.published(),
                    web ? release.port() : OptionalInt.empty(), config.env(), config.memoryLimitBytes(), config.capabilities(),
                    config.count(type), web ? config.health() : Optional.empty(), config.placement(), type, command);
            specs.add(web ? 0 : specs.size(), spec);
        }
        return specs;
    }

    @Override
    public String timing() {
        return "start";
    }

    @Override
    public void run(Deploy deploy) {
        Release release = deploy.release();
        int count = deploy.run().containers();
        List<RunSpec> specs = specs(deploy.app(), release, deploy.run());
        deploy.progress().stage("Starting " + deploy.app() + " " + release.label() + " (" + count
                + (count == 1 ? " container" : " containers") + (specs.size() == 1 ? ")" : " of web, "
                + String.join(", ", specs.subList(1, specs.size()).stream().map(s -> s.instances() + " of " + s.process()).toList())
                + ")"));
        if (release.port().isEmpty()) {
            deploy.progress().line("the image exposes no port: " + deploy.app() + " runs, but nginx does not route it");
        }
        deploy.previousRoute(Optional.ofNullable(router.routes().get(deploy.app())));
        deploy.rollout(ProcessRollout.start(runner, deploy.app(), specs, deploy.progress()));
    }

    @Override
    public void undo(Deploy deploy) {
        deploy.rollout().ifPresent(rollout -> rollout.undo(new FollowRollout(router, deploy)));
    }
}
