package io.octohost.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How an app runs, from its config: the container environment (reserved keys removed), how many
 * containers, their memory limit, every domain it answers to (its default domain first), whether
 * nginx routes it at all, the HTTP health check new containers must pass (when HEALTHCHECK_PATH is
 * set), the capabilities they keep, and where a Swarm places them (the SWARM_* keys).
 * {@code containers} counts the {@code web} type's; {@code scale} the other process types' (PS_SCALE).
 */
public record RunConfig(Map<String, String> env, int containers, OptionalLong memoryLimitBytes,
                        List<String> domains, boolean routed, Optional<HealthCheck> health, Capabilities capabilities,
                        Placement placement, Map<String, Integer> scale) {
    public RunConfig {
        env = Map.copyOf(env);
        domains = List.copyOf(domains);
        scale = Map.copyOf(scale);
    }

    /** How many containers of a process type to run: a type never scaled runs one. */
    public int count(String type) {
        return Procfile.WEB.equals(type) ? containers : scale.getOrDefault(type, 1);
    }
}
