package io.octohost.deploy;

import io.octohost.state.AppConfigs;

import java.util.SortedMap;

/**
 * Reads the app's own keys under its lock, applies the deploy's edit, and works out once how the app
 * runs with them; a value that cannot run fails here, before anything starts.
 */
final class ReadConfig implements Step {
    private final AppConfigs configs;
    private final ConfigEdit edit;

    ReadConfig(AppConfigs configs, ConfigEdit edit) {
        this.configs = configs;
        this.edit = edit;
    }

    @Override
    public void run(Deploy deploy) {
        SortedMap<String, String> own = edit.apply(configs.own(deploy.app()));
        deploy.config(own, configs.runConfig(deploy.app(), own));
    }
}
