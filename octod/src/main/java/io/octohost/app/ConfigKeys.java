package io.octohost.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
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
    /** Seconds a build may take before it is stopped, {@code timedout}. */
    public static final String BUILD_TIMEOUT = "BUILD_TIMEOUT";
    /** Build args of every build of the app: {@code NAME=value} words, shell-quoted (an API build's arguments go over them). */
    public static final String EXTRA_BUILD_ARGS = "EXTRA_BUILD_ARGS";
    public static final String CAP_DROP = "CAP_DROP";
    public static final String CAP_ADD = "CAP_ADD";
    /** Swarm placement constraints, comma-separated, e.g. {@code node.labels.tier==web,node.role!=manager}. */
    public static final String SWARM_CONSTRAINTS = "SWARM_CONSTRAINTS";
    public static final String SWARM_MAX_PER_NODE = "SWARM_MAX_PER_NODE";
    /** CPUs an instance may use (a limit), e.g. {@code 0.5}. */
    public static final String SWARM_CPUS = "SWARM_CPUS";
    /** CPUs and memory a node must have free for an instance (the scheduler's reservations). */
    public static final String SWARM_RESERVE_CPUS = "SWARM_RESERVE_CPUS";
    public static final String SWARM_RESERVE_MEMORY = "SWARM_RESERVE_MEMORY";
    /** Containers of each process type but web (web's are CONTAINERS): {@code worker=2 clock=0}, kept by ps:scale. */
    public static final String PS_SCALE = "PS_SCALE";
    /** Keys that steer octod and are kept out of the container's environment. */
    public static final Set<String> RESERVED = Set.of(DOMAINS, CONTAINERS, MEMORY_LIMIT, NO_HTTP_PROXY, BUILD_TIMEOUT,
            EXTRA_BUILD_ARGS, CAP_DROP, CAP_ADD, PS_SCALE);
    private static final int MAX_BUILD_TIMEOUT = 86_400;
    /** Keys a branch app never takes from its base app: they belong to one app. */
    private static final Set<String> NOT_INHERITED = Set.of(DOMAINS, CONTAINERS, NO_HTTP_PROXY, PS_SCALE);
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CONSTRAINT = Pattern.compile("[A-Za-z0-9_.-]+\\s*(==|!=)\\s*[^\\s,].*");
    private static final Pattern CPUS = Pattern.compile("\\d{1,4}(\\.\\d{1,9})?");

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
            case PS_SCALE -> ScaleCounts.parse(value, maxContainers);
            case MEMORY_LIMIT -> {
                if (!value.isBlank()) {
                    memoryBytes(value);
                }
            }
            case DOMAINS -> parseDomains(value);
            case HEALTHCHECK_ATTEMPTS, HEALTHCHECK_INTERVAL, HEALTHCHECK_TIMEOUT, SWARM_MAX_PER_NODE -> positive(key, value);
            case BUILD_TIMEOUT -> buildTimeout(Map.of(key, value));
            case EXTRA_BUILD_ARGS -> buildArgs(Map.of(key, value));
            case HEALTHCHECK_PATH -> healthPath(value);
            case CAP_DROP -> Capabilities.parse(value, "");
            case CAP_ADD -> Capabilities.parse("", value);
            case SWARM_CONSTRAINTS -> constraints(value);
            case SWARM_CPUS, SWARM_RESERVE_CPUS -> cpuNanos(key, value);
            case SWARM_RESERVE_MEMORY -> memoryBytes(key, value);
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
        return memoryBytes(MEMORY_LIMIT, value);
    }

    private static long memoryBytes(String key, String value) {
        long bytes;
        try {
            bytes = ByteSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid " + key + " '" + value + "': use Docker's format, e.g. 512m or 1g");
        }
        if (bytes < 6L << 20) {
            throw new UserError("invalid " + key + " '" + value + "': Docker needs at least 6m");
        }
        return bytes;
    }

    /** SWARM_CONSTRAINTS: Swarm's placement constraints, comma-separated. */
    static List<String> constraints(String value) {
        List<String> constraints = new ArrayList<>();
        for (String c : value.split(",")) {
            String constraint = c.strip();
            if (constraint.isEmpty()) {
                continue;
            }
            if (!CONSTRAINT.matcher(constraint).matches()) {
                throw new UserError("invalid SWARM_CONSTRAINTS entry '" + constraint + "': use ATTRIBUTE==VALUE or"
                        + " ATTRIBUTE!=VALUE, e.g. node.labels.tier==web");
            }
            constraints.add(constraint);
        }
        return constraints;
    }

    /** A number of CPUs such as {@code 0.5} or {@code 2}, in Docker's nano CPUs. */
    private static long cpuNanos(String key, String value) {
        String v = value.strip();
        if (CPUS.matcher(v).matches()) {
            long nanos = new BigDecimal(v).movePointRight(9).longValueExact();
            if (nanos >= 1_000_000) {
                return nanos;
            }
        }
        throw new UserError("invalid " + key + " '" + value + "': give a number of CPUs, e.g. 0.5 or 2");
    }

    /** Where a Swarm runs the app's instances and with how much, from the SWARM_* keys. */
    static Placement placement(Map<String, String> keys) {
        Function<String, Optional<String>> value = k -> Optional.ofNullable(keys.get(k)).filter(v -> !v.isBlank());
        return new Placement(value.apply(SWARM_CONSTRAINTS).map(ConfigKeys::constraints).orElse(List.of()),
                value.apply(SWARM_MAX_PER_NODE).map(v -> OptionalInt.of(positive(SWARM_MAX_PER_NODE, v)))
                        .orElse(OptionalInt.empty()),
                optionalLong(value.apply(SWARM_CPUS).map(v -> cpuNanos(SWARM_CPUS, v))),
                optionalLong(value.apply(SWARM_RESERVE_CPUS).map(v -> cpuNanos(SWARM_RESERVE_CPUS, v))),
                optionalLong(value.apply(SWARM_RESERVE_MEMORY).map(v -> memoryBytes(SWARM_RESERVE_MEMORY, v))));
    }

    private static OptionalLong optionalLong(Optional<Long> value) {
        return value.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** The HTTP check new containers must pass, when HEALTHCHECK_PATH is set. */
    static Optional<HealthCheck> healthCheck(Map<String, String> keys) {
        String path = keys.getOrDefault(HEALTHCHECK_PATH, "").strip();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HealthCheck(healthPath(path),
                positive(HEALTHCHECK_ATTEMPTS, keys.getOrDefault(HEALTHCHECK_ATTEMPTS, "5")),
                Duration.ofSeconds(positive(HEALTHCHECK_INTERVAL, keys.getOrDefault(HEALTHCHECK_INTERVAL, "2"))),
                Duration.ofSeconds(positive(HEALTHCHECK_TIMEOUT, keys.getOrDefault(HEALTHCHECK_TIMEOUT, "5")))));
    }

    /** The path (and query) of HEALTHCHECK_PATH, with a leading slash: what an HTTP request line can carry. */
    private static String healthPath(String value) {
        String path = value.strip();
        path = path.isEmpty() || path.startsWith("/") ? path : "/" + path;
        try {
            URI uri = new URI("http://health" + path);
            if (uri.getRawFragment() == null && ("http://health" + path).equals(uri.toString())) {
                return path;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UserError("invalid HEALTHCHECK_PATH '" + Printable.of(value, 80) + "': give a URL path like /health,"
                + " with no spaces (encode them as %20)");
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

    /** The app's BUILD_TIMEOUT, when it has one: whole seconds, 1 to a day. */
    public static Optional<Duration> buildTimeout(Map<String, String> keys) {
        String value = keys.getOrDefault(BUILD_TIMEOUT, "").strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(value.replaceFirst("s$", ""));
            if (n >= 1 && n <= MAX_BUILD_TIMEOUT) {
                return Optional.of(Duration.ofSeconds(n));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("invalid " + BUILD_TIMEOUT + " '" + value + "': give whole seconds from 1 to " + MAX_BUILD_TIMEOUT);
    }

    /** The app's EXTRA_BUILD_ARGS: {@code NAME=value} words, separated by blanks, quoted as in a shell. */
    public static SortedMap<String, String> buildArgs(Map<String, String> keys) {
        SortedMap<String, String> args = new TreeMap<>();
        List<String> words;
        try {
            words = ShellWords.split(keys.getOrDefault(EXTRA_BUILD_ARGS, ""));
        } catch (UserError e) {
            throw new UserError("invalid " + EXTRA_BUILD_ARGS + ": " + e.getMessage().replace(" in the command", ""));
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0 || !isKey(word.substring(0, eq))) {
                throw new UserError("invalid " + EXTRA_BUILD_ARGS + ": '" + word.substring(0, eq < 0 ? word.length() : eq)
                        + "' is not NAME=value (words separated by blanks, quoted as in a shell: A=1 'B=two words')");
            }
            args.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return args;
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
        Capabilities capabilities = Capabilities.parse(effective.get(CAP_DROP), effective.get(CAP_ADD));
        SortedMap<String, Integer> scale = Optional.ofNullable(own.get(PS_SCALE)).map(v -> ScaleCounts.parse(v, maxContainers))
                .orElseGet(TreeMap::new);
        return new RunConfig(env, containers, memory, domains.of(app, domains(own)), routed, healthCheck(effective), capabilities,
                placement(effective), scale);
    }
}
