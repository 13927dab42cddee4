package io.octohost.deploy;

import io.octohost.state.AppConfigs;
import io.octohost.state.StateStore;

/** Stores the app's new keys without a release: nothing runs yet, or the change waits for the next one. */
final class StoreConfig implements Step {
    private final StateStore store;
    private final AppConfigs configs;

    StoreConfig(StateStore store, AppConfigs configs) {
        this.store = store;
        this.configs = configs;
    }

    @Override
    public void run(Deploy deploy) {
        store.apply(configs.changesTo(deploy.app(), deploy.config()));
    }
}
