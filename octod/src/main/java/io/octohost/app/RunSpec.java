package io.octohost.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What to run of a release: {@code instances} copies of its image with this environment, memory
 * limit (absent: octod's default) and capabilities, fit when they pass the health check (when there
 * is one). {@code image} is the image built on this host; {@code published} the same image in the
 * registry ({@code REGISTRY/APP:vN@sha256:...}), which a Swarm's nodes pull. {@code port} is the
 * container port to publish, absent when the image exposes none (it runs, unrouted).
 * {@code placement} steers a Swarm's scheduler. {@code process} is the {@link Procfile} type these
 * instances run, {@code command} its command (empty: the image's CMD).
 */
public record RunSpec(AppName app, int release, Optional<Commit> commit, String image, Optional<String> published,
                      OptionalInt port, Map<String, String> env, OptionalLong memoryLimitBytes, Capabilities capabilities,
                      int instances, Optional<HealthCheck> health, Placement placement, String process, List<String> command) {
    public RunSpec {
        env = Map.copyOf(env);
        command = List.copyOf(command);
    }

    /** The {@code web} type running the image's CMD. */
    public RunSpec(AppName app, int release, Optional<Commit> commit, String image, Optional<String> published,
                   OptionalInt port, Map<String, String> env, OptionalLong memoryLimitBytes, Capabilities capabilities,
                   int instances, Optional<HealthCheck> health, Placement placement) {
        this(app, release, commit, image, published, port, env, memoryLimitBytes, capabilities, instances, health, placement,
                Procfile.WEB, List.of());
    }

    public boolean web() {
        return Procfile.WEB.equals(process);
    }

    public List<String> envList() {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }
}
