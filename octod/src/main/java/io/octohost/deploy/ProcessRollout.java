package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Progress;
import io.octohost.app.RunSpec;
import io.octohost.app.UserError;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;
import io.octohost.run.Rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A release's instances of every process type on their way in, one runner rollout per type, web
 * first: fit once every type is (web's backends are what nginx routes); then the old instances of
 * every type drain, and those of types the release no longer has. Taken back, every type goes back.
 */
final class ProcessRollout implements Rollout {
    private final List<Rollout> rollouts;
    private final List<AppContainer> gone;

    private ProcessRollout(List<Rollout> rollouts, List<AppContainer> gone) {
        this.rollouts = List.copyOf(rollouts);
        this.gone = List.copyOf(gone);
    }

    /**
     * Starts the specs' instances, web's (the first spec) last: a runner that refuses a type (the
     * swarm's) does so before web changes. A type at 0 that runs nothing now is left out.
     */
    static Rollout start(ContainerRunner runner, AppName app, List<RunSpec> specs, Progress progress) {
        List<AppContainer> before = runner.list(app);
        Set<String> types = specs.stream().map(RunSpec::process).collect(Collectors.toSet());
        Set<String> running = before.stream().map(AppContainer::process).collect(Collectors.toSet());
        List<Rollout> others = new ArrayList<>();
        try {
            for (RunSpec spec : specs.subList(1, specs.size())) {
                if (spec.instances() > 0 || running.contains(spec.process())) {
                    others.add(runner.start(spec, progress));
                }
            }
            List<Rollout> all = new ArrayList<>(List.of(runner.start(specs.get(0), progress)));
            all.addAll(others);
            return new ProcessRollout(all, before.stream().filter(c -> !types.contains(c.process())).toList());
        } catch (RuntimeException e) {
            for (Rollout r : others) {
                try {
                    r.undo(backends -> { });
                } catch (RuntimeException undoFailed) {
                    e.addSuppressed(undoFailed);
                }
            }
            throw e;
        }
    }

    @Override
    public List<Backend> awaitHealthy(Duration readyTimeout, Progress progress, Consumer<List<Backend>> serving) {
        // web's come first: what it returns is what nginx routes; the other types' instances are never routed
        List<Backend> web = rollouts.get(0).awaitHealthy(readyTimeout, progress, serving);
        for (Rollout other : rollouts.subList(1, rollouts.size())) {
            other.awaitHealthy(readyTimeout, progress, backends -> { });
        }
        return web;
    }

    @Override
    public List<AppContainer> replaced() {
        List<AppContainer> replaced = new ArrayList<>(gone);
        rollouts.forEach(r -> replaced.addAll(r.replaced()));
        return replaced;
    }

    @Override
    public void undo(Consumer<List<Backend>> serving) {
        UserError failed = null;
        for (Rollout r : rollouts) {
            try {
                r.undo(r == rollouts.get(0) ? serving : backends -> { });
            } catch (UserError e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
