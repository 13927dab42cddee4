package io.octohost.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How an app runs, from its config: the container environment (reserved keys removed), how many
 * containers, their memory limit, every domain it answers to (its default domain first), whether
 * nginx routes it at all, and the HTTP health check new containers must pass (when HEALTHCHECK_PATH is set).
 */
public record RunConfig(Map<String, String> env, int containers, OptionalLong memoryLimitBytes,
                        List<String> domains, boolean routed, Optional<HealthCheck> health) {
    public RunConfig {
        env = Map.copyOf(env);
        domains = List.copyOf(domains);
    }
}
