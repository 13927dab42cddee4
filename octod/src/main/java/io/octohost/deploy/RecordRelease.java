package io.octohost.deploy;

import io.octohost.app.Release;
import io.octohost.state.AppConfigs;
import io.octohost.state.Releases;
import io.octohost.state.StateStore;

import java.util.ArrayList;
import java.util.List;

/** Stores the release and the config it runs, in one transaction: only now is the change kept. */
final class RecordRelease implements Step {
    private final StateStore store;
    private final AppConfigs configs;
    private final Releases releases;
    private final DeploySettings settings;

    RecordRelease(StateStore store, AppConfigs configs, Releases releases, DeploySettings settings) {
        this.store = store;
        this.configs = configs;
        this.releases = releases;
        this.settings = settings;
    }

    @Override
    public String timing() {
        return "record";
    }

    @Override
    public void run(Deploy deploy) {
        Release release = deploy.release();
        List<StateStore.Change> changes = new ArrayList<>(configs.changesTo(deploy.app(), deploy.config()));
        changes.add(releases.record(deploy.app(), release));
        store.apply(changes);
        boolean served = deploy.run().routed() && !deploy.started().isEmpty() && release.port().isPresent();
        deploy.progress().stage(deploy.app() + " " + release.label() + " is live" + (served ? " at " + settings.url(deploy.app()) : ""));
    }
}
