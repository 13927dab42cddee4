package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.Domain;
import io.octohost.app.HealthCheck;
import io.octohost.app.UserError;
import io.octohost.deploy.RunConfig;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * App config as octohost kept it: {@code octohost/<app>/<KEY>}. The reserved keys steer octod
 * and never reach the container: DOMAINS (space-separated host names), CONTAINERS (a count),
 * MEMORY_LIMIT (Docker's format, e.g. 512m) and NO_HTTP_PROXY (any value: unrouted). A branch app
 * reads its own keys first, then its base app's env keys and MEMORY_LIMIT.
 */
public final class AppConfigs {
    public static final String PREFIX = "octohost/";
    public static final String DOMAINS = "DOMAINS";
    public static final String CONTAINERS = "CONTAINERS";
    public static final String MEMORY_LIMIT = "MEMORY_LIMIT";
    public static final String NO_HTTP_PROXY = "NO_HTTP_PROXY";
    public static final Set<String> RESERVED = Set.of(DOMAINS, CONTAINERS, MEMORY_LIMIT, NO_HTTP_PROXY);
    public static final String HEALTHCHECK_PATH = "HEALTHCHECK_PATH";
    public static final String HEALTHCHECK_ATTEMPTS = "HEALTHCHECK_ATTEMPTS";
    public static final String HEALTHCHECK_INTERVAL = "HEALTHCHECK_INTERVAL";
    public static final String HEALTHCHECK_TIMEOUT = "HEALTHCHECK_TIMEOUT";
    /** What a branch app takes from its base app besides env keys. */
    private static final Set<String> NOT_INHERITED = Set.of(DOMAINS, CONTAINERS, NO_HTTP_PROXY);
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern MEMORY = Pattern.compile("(\\d+)([bkmg]?)b?", Pattern.CASE_INSENSITIVE);

    private final StateStore store;
    private final AppClaims claims;
    private final int maxContainers;
    private final String baseDomain;

    public AppConfigs(StateStore store, AppClaims claims, int maxContainers, String baseDomain) {
        this.store = store;
        this.claims = claims;
        this.maxContainers = maxContainers;
        this.baseDomain = baseDomain;
    }

    /** The host name every app gets: APP.DOMAIN. */
    public Domain defaultDomain(AppName app) {
        return Domain.of(app + "." + baseDomain);
    }

    /** Every host name the app answers to: APP.DOMAIN first, then its DOMAINS. */
    public List<String> allDomains(AppName app) {
        List<String> all = new ArrayList<>();
        all.add(defaultDomain(app).value());
        domains(own(app)).forEach(d -> all.add(d.value()));
        return all;
    }

    /** Fails if another app serves any of these domains, naming that app. */
    public void checkDomainsFree(AppName app, List<Domain> wanted) {
        for (AppName other : claims.apps()) {
            if (other.equals(app)) {
                continue;
            }
            List<Domain> theirs = new ArrayList<>(domains(own(other)));
            theirs.add(defaultDomain(other));
            for (Domain d : wanted) {
                if (theirs.contains(d)) {
                    throw new UserError("domain " + d + " belongs to app " + other);
                }
            }
        }
    }

    public static String validKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new UserError("invalid config key '" + key + "': use letters, digits and '_', not starting with a digit");
        }
        return key;
    }

    /** The app's own keys and values. */
    public SortedMap<String, String> own(AppName app) {
        String prefix = PREFIX + app + "/";
        SortedMap<String, String> result = new TreeMap<>();
        store.list(prefix).forEach((k, v) -> {
            String key = k.substring(prefix.length());
            if (KEY.matcher(key).matches()) {
                result.put(key, new String(v, StandardCharsets.UTF_8));
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
            if (!NOT_INHERITED.contains(k)) {
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
        SortedMap<String, String> keys = effective(app, own);
        TreeMap<String, String> env = new TreeMap<>(keys);
        env.keySet().removeAll(RESERVED);
        int containers = Optional.ofNullable(own.get(CONTAINERS)).map(this::containers).orElse(1);
        OptionalLong memory = Optional.ofNullable(keys.get(MEMORY_LIMIT)).filter(s -> !s.isBlank())
                .map(s -> OptionalLong.of(memoryBytes(s))).orElse(OptionalLong.empty());
        List<String> domains = domains(own).stream().map(Domain::value).toList();
        boolean routed = Optional.ofNullable(own.get(NO_HTTP_PROXY)).map(String::isEmpty).orElse(true);
        return new RunConfig(env, containers, memory, domains, routed, healthCheck(keys));
    }

    /** The HTTP check new containers must pass, when HEALTHCHECK_PATH is set. */
    static Optional<HealthCheck> healthCheck(Map<String, String> keys) {
        String path = keys.getOrDefault(HEALTHCHECK_PATH, "").strip();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HealthCheck(path.startsWith("/") ? path : "/" + path,
                positive(HEALTHCHECK_ATTEMPTS, keys.getOrDefault(HEALTHCHECK_ATTEMPTS, "5")),
                Duration.ofSeconds(positive(HEALTHCHECK_INTERVAL, keys.getOrDefault(HEALTHCHECK_INTERVAL, "2"))),
                Duration.ofSeconds(positive(HEALTHCHECK_TIMEOUT, keys.getOrDefault(HEALTHCHECK_TIMEOUT, "5")))));
    }

    private static int positive(String key, String value) {
        try {
            int n = Integer.parseInt(value.strip().replaceFirst("s$", ""));
            if (n >= 1 && n <= 3600) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("invalid " + key + " '" + value + "': give a whole number from 1 to 3600");
    }

    /** Checks a value before it is stored: reserved keys must parse. */
    public void validate(String key, String value) {
        validKey(key);
        switch (key) {
            case CONTAINERS -> containers(value);
            case MEMORY_LIMIT -> {
                if (!value.isBlank()) {
                    memoryBytes(value);
                }
            }
            case DOMAINS -> parseDomains(value);
            case HEALTHCHECK_ATTEMPTS, HEALTHCHECK_INTERVAL, HEALTHCHECK_TIMEOUT -> positive(key, value);
            default -> {
            }
        }
    }

    public int containers(String value) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new UserError("invalid container count '" + value + "': give a whole number from 0 to " + maxContainers);
        }
        if (n < 0 || n > maxContainers) {
            throw new UserError("invalid container count " + n + ": give a whole number from 0 to " + maxContainers
                    + " (--max-containers)");
        }
        return n;
    }

    static long memoryBytes(String value) {
        Matcher m = MEMORY.matcher(value.strip());
        if (!m.matches()) {
            throw new UserError("invalid MEMORY_LIMIT '" + value + "': use Docker's format, e.g. 512m or 1g");
        }
        long n = Long.parseLong(m.group(1));
        long bytes = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
        if (bytes < 6L << 20) {
            throw new UserError("invalid MEMORY_LIMIT '" + value + "': Docker needs at least 6m");
        }
        return bytes;
    }

    public List<Domain> domains(SortedMap<String, String> own) {
        return parseDomains(own.getOrDefault(DOMAINS, ""));
    }

    /** octohost's DOMAINS value: host names separated by spaces or commas, kept sorted and unique. */
    public static List<Domain> parseDomains(String value) {
        TreeSet<Domain> domains = new TreeSet<>();
        Arrays.stream(value.split("[\\s,]+")).filter(s -> !s.isEmpty()).map(Domain::of).forEach(domains::add);
        return new ArrayList<>(domains);
    }

    public static String formatDomains(List<Domain> domains) {
        return String.join(" ", new TreeSet<>(domains).stream().map(Domain::value).toList());
    }

    /** The writes that replace some keys and remove others, for one transaction. */
    public List<StateStore.Change> changes(AppName app, Map<String, String> set, Set<String> unset) {
        List<StateStore.Change> changes = new ArrayList<>();
        unset.forEach(k -> changes.add(new StateStore.Change.Delete(PREFIX + app + "/" + k)));
        set.forEach((k, v) -> changes.add(new StateStore.Change.Put(PREFIX + app + "/" + k, v.getBytes(StandardCharsets.UTF_8))));
        return changes;
    }

    /** The apps octod deployed and has not destroyed. */
    public List<AppName> apps() {
        return claims.apps();
    }

    /** Every app with config, and the apps octod deployed. */
    public Map<AppName, SortedMap<String, String>> all() {
        TreeMap<AppName, SortedMap<String, String>> result = new TreeMap<>();
        for (AppName app : claims.apps()) {
            result.put(app, own(app));
        }
        return result;
    }
}
