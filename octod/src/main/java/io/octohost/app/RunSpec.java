package io.octohost.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What to run of a release: {@code instances} copies of its image with this environment, memory
 * limit (absent: octod's default) and capabilities. {@code port} is the container port to publish,
 * absent when the image exposes none (it runs, unrouted).
 */
public record RunSpec(AppName app, int release, Optional<Commit> commit, String image, OptionalInt port,
                      Map<String, String> env, OptionalLong memoryLimitBytes, Capabilities capabilities, int instances) {
    public RunSpec {
        env = Map.copyOf(env);
    }

    public List<String> envList() {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }
}
