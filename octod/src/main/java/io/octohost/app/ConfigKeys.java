package io.octohost.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules of an app's config keys, octohost's: which keys are reserved (they steer octod and never
 * reach the container), which a branch app does not inherit from its base app, what each reserved
 * value may be, and how the keys make a {@link RunConfig}.
 */
public final class ConfigKeys {
    public static final String DOMAINS = "DOMAINS";
    public static final String CONTAINERS = "CONTAINERS";
    public static final String MEMORY_LIMIT = "MEMORY_LIMIT";
    public static final String NO_HTTP_PROXY = "NO_HTTP_PROXY";
    public static final String HEALTHCHECK_PATH = "HEALTHCHECK_PATH";
    public static final String HEALTHCHECK_ATTEMPTS = "HEALTHCHECK_ATTEMPTS";
    public static final String HEALTHCHECK_INTERVAL = "HEALTHCHECK_INTERVAL";
    public static final String HEALTHCHECK_TIMEOUT = "HEALTHCHECK_TIMEOUT";
    public static final String CONSUL_TAGS = "CONSUL_TAGS";
    public static final String CUSTOM_CHECK = "CUSTOM_CHECK";
    public static final String CUSTOM_CHECK_INTERVAL = "CUSTOM_CHECK_INTERVAL";
    /** Keys that steer octod and are kept out of the container's environment. */
    public static final Set<String> RESERVED = Set.of(DOMAINS, CONTAINERS, MEMORY_LIMIT, NO_HTTP_PROXY);
    /** Keys a branch app never takes from its base app: they belong to one app. */
    private static final Set<String> NOT_INHERITED = Set.of(DOMAINS, CONTAINERS, NO_HTTP_PROXY);
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ConfigKeys() {
    }

    public static boolean isKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    public static String valid(String key) {
        if (!isKey(key)) {
            throw new UserError("invalid config key '" + key + "': use letters, digits and '_', not starting with a digit");
        }
        return key;
    }

    /** Whether a branch app inherits the key from its base app. */
    public static boolean inherited(String key) {
        return !NOT_INHERITED.contains(key);
    }

    /** Checks a value before it is stored: reserved keys must parse. */
    public static void validate(String key, String value, int maxContainers) {
        valid(key);
        switch (key) {
            case CONTAINERS -> containers(value, maxContainers);
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

    public static int containers(String value, int maxContainers) {
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
        long bytes;
        try {
            bytes = ByteSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid MEMORY_LIMIT '" + value + "': use Docker's format, e.g. 512m or 1g");
        }
        if (bytes < 6L << 20) {
            throw new UserError("invalid MEMORY_LIMIT '" + value + "': Docker needs at least 6m");
        }
        return bytes;
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

    /** octohost's DOMAINS value: host names separated by spaces or commas, kept sorted and unique. */
    public static List<Domain> parseDomains(String value) {
        TreeSet<Domain> domains = new TreeSet<>();
        Arrays.stream(value.split("[\\s,]+")).filter(s -> !s.isEmpty()).map(Domain::of).forEach(domains::add);
        return new ArrayList<>(domains);
    }

    public static List<Domain> domains(Map<String, String> own) {
        return parseDomains(own.getOrDefault(DOMAINS, ""));
    }

    public static String formatDomains(Collection<Domain> domains) {
        return String.join(" ", new TreeSet<>(domains).stream().map(Domain::value).toList());
    }

    /**
     * How the app runs: {@code own} are its own keys, {@code effective} those with the inherited ones
     * beneath. Scale, domains and routing come from its own keys only.
     */
    public static RunConfig runConfig(AppName app, SortedMap<String, String> own, SortedMap<String, String> effective,
                                      Domains domains, int maxContainers) {
        TreeMap<String, String> env = new TreeMap<>(effective);
        env.keySet().removeAll(RESERVED);
        int containers = Optional.ofNullable(own.get(CONTAINERS)).map(v -> containers(v, maxContainers)).orElse(1);
        OptionalLong memory = Optional.ofNullable(effective.get(MEMORY_LIMIT)).filter(s -> !s.isBlank())
                .map(s -> OptionalLong.of(memoryBytes(s))).orElse(OptionalLong.empty());
        boolean routed = Optional.ofNullable(own.get(NO_HTTP_PROXY)).map(String::isEmpty).orElse(true);
        return new RunConfig(env, containers, memory, domains.of(app, domains(own)), routed, healthCheck(effective));
    }
}
