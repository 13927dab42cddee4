package io.octohost.deploy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How an app runs, from its config: the container environment (reserved keys removed), how many
 * containers, their memory limit, extra domains, and whether nginx routes it at all.
 */
public record RunConfig(Map<String, String> env, int containers, OptionalLong memoryLimitBytes,
                        List<String> domains, boolean routed) {
    public static final RunConfig DEFAULT = new RunConfig(Map.of(), 1, OptionalLong.empty(), List.of(), true);

    public RunConfig {
        env = Map.copyOf(env);
        domains = List.copyOf(domains);
    }
}
