package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.state.AppConfigs;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

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
        unset.forEach(AppConfigs::validKey);
        if (set.containsKey(AppConfigs.DOMAINS)) {
            configs.checkDomainsFree(app, AppConfigs.parseDomains(set.get(AppConfigs.DOMAINS)));
        }
        OutputProgress progress = new OutputProgress(inv.out());
        s.deployer().locked(app, progress, () -> {
            SortedMap<String, String> own = new TreeMap<>(configs.own(app));
            own.keySet().removeAll(unset);
            own.putAll(set);
            configs.runConfig(app, own);
            if (effect == Effect.REROUTE) {
                s.deployer().changeDomains(app, own, progress);
            } else {
                s.deployer().changeConfig(app, own, effect == Effect.RESTART, progress, inv.caller().name(), description);
            }
            return null;
        });
        List<AppName> branchApps = s.claims().appsOf(app).stream().filter(a -> !a.equals(app)).toList();
        if (!branchApps.isEmpty() && (set.keySet().stream().anyMatch(ConfigChange::inherited)
                || unset.stream().anyMatch(ConfigChange::inherited))) {
            inv.out().println("note: branch apps inherit this change at their next deploy or restart: "
                    + String.join(", ", branchApps.stream().map(AppName::value).toList()));
        }
    }

    private static boolean inherited(String key) {
        return !Set.of(AppConfigs.DOMAINS, AppConfigs.CONTAINERS, AppConfigs.NO_HTTP_PROXY).contains(key);
    }
}
