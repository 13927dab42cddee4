package io.octohost.app;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What to run of a release: {@code instances} copies of its image with this environment and memory
 * limit. {@code port} is the container port to publish, absent when the image exposes none (it
 * runs, unrouted).
 */
public record RunSpec(AppName app, int release, Commit commit, String image, OptionalInt port,
                      Map<String, String> env, OptionalLong memoryLimitBytes, int instances) {
    public RunSpec {
        env = Map.copyOf(env);
    }

    public List<String> envList() {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }
}
