package io.octohost.deploy;

import io.octohost.app.Backend;
import io.octohost.run.AppContainer;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Hands the containers the new release replaced to the {@link Drainer}: they stop in the background. */
final class Drain implements Step {
    private final Drainer drainer;

    Drain(Drainer drainer) {
        this.drainer = drainer;
    }

    @Override
    public void run(Deploy deploy) {
        Set<String> started = deploy.started().stream().map(Backend::containerId).collect(Collectors.toSet());
        List<AppContainer> replaced = deploy.before().stream().filter(c -> !started.contains(c.id())).toList();
        drainer.drain(deploy.app(), replaced);
    }
}
