package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.ConfigKeys;
import io.octohost.app.Domain;
import io.octohost.app.Domains;
import io.octohost.app.RunConfig;
import io.octohost.app.UserError;
import io.octohost.app.Utf8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * App config as octohost kept it: {@code octohost/<app>/<KEY>}. A branch app reads its own keys
 * first, then its base app's inherited ones. What the keys mean is {@link ConfigKeys}'s.
 */
public final class AppConfigs {
    public static final String PREFIX = "octohost/";

    private final StateStore store;
    private final AppClaims claims;
    private final int maxContainers;
    private final Domains domains;

    public AppConfigs(StateStore store, AppClaims claims, int maxContainers, Domains domains) {
        this.store = store;
        this.claims = claims;
        this.maxContainers = maxContainers;
        this.domains = domains;
    }

    /** Every host name the app answers to with its stored config. */
    public List<String> allDomains(AppName app) {
        return domains.of(app, ConfigKeys.domains(own(app)));
    }

    /**
     * Fails, saying why, unless the app may claim every one of these domains: the rules of
     * {@link Domains#checkClaimable}, and no other app answers to it.
     */
    public void checkDomains(AppName app, List<Domain> wanted) {
        wanted.forEach(d -> domains.checkClaimable(app, d));
        for (AppName other : claims.apps()) {
            if (!other.equals(app)) {
                List<String> theirs = allDomains(other);
                wanted.stream().filter(d -> theirs.contains(d.value())).findFirst().ifPresent(d -> {
                    throw new UserError("domain " + d + " belongs to app " + other);
                });
            }
        }
    }

    /** Fails, naming the holder, when another app's DOMAINS hold this app's default name (claimed before that was refused). */
    public void checkDefaultDomainFree(AppName app) {
        Domain own = domains.defaultDomain(app);
        for (AppName other : claims.apps()) {
            if (!other.equals(app) && ConfigKeys.domains(own(other)).contains(own)) {
                throw new UserError("the default name " + own + " of app " + app + " is claimed by app " + other
                        + ": remove it there first (octo domains:remove " + other + " " + own + ")");
            }
        }
    }

    /** Checks a value before it is stored: reserved keys must parse, DOMAINS must be names the app may claim. */
    public void validate(AppName app, String key, String value) {
        ConfigKeys.validate(key, value, maxContainers);
        if (key.equals(ConfigKeys.DOMAINS)) {
            ConfigKeys.parseDomains(value).forEach(d -> domains.checkClaimable(app, d));
        }
    }

    /** Fails, saying why, unless this is a value config:set would store: {@code octohost/APP/KEY}, UTF-8, valid for its key. */
    void checkRecord(String key, byte[] value) {
        String rest = key.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new UserError("a config record is " + PREFIX + "APP/KEY");
        }
        AppName app = AppName.of(rest.substring(0, slash));
        String name = ConfigKeys.valid(rest.substring(slash + 1));
        validate(app, name, Utf8.decode(value, "the value of " + name));
    }

    /** The most containers of one process type an app may ask for (--max-containers). */
    public int maxContainers() {
        return maxContainers;
    }

    public int containers(String value) {
        return ConfigKeys.containers(value, maxContainers);
    }

    /** The app's own keys and values. */
    public SortedMap<String, String> own(AppName app) {
        String prefix = PREFIX + app + "/";
        SortedMap<String, String> result = new TreeMap<>();
        store.list(prefix).forEach((k, v) -> {
            String key = k.substring(prefix.length());
            if (ConfigKeys.isKey(key)) {
                result.put(key, Utf8.decode(v, "the config value " + k));
            }
        });
        return result;
    }

    /** The app a branch app inherits from: the repo's own app, when this is a branch app. */
    public Optional<AppName> base(AppName app) {
        return claims.owner(app).map(AppClaims.Owner::repo).filter(repo -> !repo.equals(app));
    }

    /** The keys the app sees, with the base app's inherited ones under its own. */
    public SortedMap<String, String> effective(AppName app, SortedMap<String, String> own) {
        SortedMap<String, String> merged = new TreeMap<>();
        base(app).ifPresent(b -> own(b).forEach((k, v) -> {
            if (ConfigKeys.inherited(k)) {
                merged.put(k, v);
            }
        }));
        merged.putAll(own);
        return merged;
    }

    public RunConfig runConfig(AppName app) {
        return runConfig(app, own(app));
    }

    /** How the app runs with these own keys (before they are stored, so a change can be tried first). */
    public RunConfig runConfig(AppName app, SortedMap<String, String> own) {
        return ConfigKeys.runConfig(app, own, effective(app, own), domains, maxContainers);
    }

    /** The writes that replace some keys and remove others, for one transaction. */
    public List<StateStore.Change> changes(AppName app, Map<String, String> set, Set<String> unset) {
        List<StateStore.Change> changes = new ArrayList<>();
        unset.forEach(k -> changes.add(new StateStore.Change.Delete(PREFIX + app + "/" + k)));
        set.forEach((k, v) -> changes.add(new StateStore.Change.Put(PREFIX + app + "/" + k, v.getBytes(StandardCharsets.UTF_8))));
        return changes;
    }

    /** The writes that make the app's stored keys exactly {@code own}: only what differs. */
    public List<StateStore.Change> changesTo(AppName app, SortedMap<String, String> own) {
        SortedMap<String, String> stored = own(app);
        Set<String> removed = new TreeSet<>(stored.keySet());
        removed.removeAll(own.keySet());
        Map<String, String> changed = new TreeMap<>();
        own.forEach((k, v) -> {
            if (!v.equals(stored.get(k))) {
                changed.put(k, v);
            }
        });
        return changes(app, changed, removed);
    }

    /** The apps octod deployed and has not destroyed. */
    public List<AppName> apps() {
        return claims.apps();
    }
}
