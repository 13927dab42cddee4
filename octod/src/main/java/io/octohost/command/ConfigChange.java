package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.ConfigKeys;
import io.octohost.deploy.ConfigEdit;
import io.octohost.state.AppConfigs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One change of an app's config, shared by config:*, domains:* and ps:scale. Everything is
 * validated before anything happens; the running app takes the change first (a restart, or new
 * routes) and only then is it stored, so a change that cannot run is not kept.
 */
final class ConfigChange {
    /** What the running app needs for the change to take effect. */
    enum Effect { RESTART, REROUTE, STORE_ONLY }

    private ConfigChange() {
    }

    static void apply(Invocation inv, AppName app, Map<String, String> set, Set<String> unset, Effect effect,
                      String description) {
        Services s = inv.services();
        AppConfigs configs = s.configs();
        set.forEach(configs::validate);
        unset.forEach(ConfigKeys::valid);
        if (set.containsKey(ConfigKeys.DOMAINS)) {
            configs.checkDomainsFree(app, ConfigKeys.parseDomains(set.get(ConfigKeys.DOMAINS)));
        }
        OutputProgress progress = new OutputProgress(inv.out());
        ConfigEdit edit = ConfigEdit.of(set, unset);
        if (effect == Effect.REROUTE) {
            s.pipeline().changeDomains(app, edit, progress);
        } else {
            s.pipeline().changeConfig(app, edit, effect == Effect.RESTART, inv.caller().name(), description, progress);
        }
        List<AppName> branchApps = s.claims().appsOf(app).stream().filter(a -> !a.equals(app)).toList();
        if (!branchApps.isEmpty() && Stream.concat(set.keySet().stream(), unset.stream()).anyMatch(ConfigKeys::inherited)) {
            inv.out().println("note: branch apps inherit this change at their next deploy or restart: "
                    + String.join(", ", branchApps.stream().map(AppName::value).toList()));
        }
    }
}
