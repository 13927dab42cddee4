package io.octohost.run;

/** What every app container gets unless its config says otherwise: a memory limit (MEMORY_LIMIT overrides it) and a PID limit. */
public record ContainerLimits(long memoryBytes, long pids) {
}
