package io.octohost.app;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What to run for one container of an app, for a release. {@code port} is the container port to
 * publish, absent when the image exposes none (it runs, unrouted).
 */
public record ContainerSpec(AppName app, int release, Commit commit, String image, OptionalInt port,
                            Map<String, String> env, OptionalLong memoryLimitBytes, String name) {
    public ContainerSpec {
        env = Map.copyOf(env);
    }

    public List<String> envList() {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }
}
