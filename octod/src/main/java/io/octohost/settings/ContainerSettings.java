package io.octohost.settings;

import io.octohost.run.ContainerLimits;
import picocli.CommandLine.Option;

/** The limits every app container gets by default: part of {@link Settings}. */
public final class ContainerSettings {
    @Option(names = "--container-memory", defaultValue = "${env:OCTOD_CONTAINER_MEMORY:-1G}", converter = Converters.Size.class,
            description = "The memory limit of an app's containers unless its MEMORY_LIMIT says otherwise, e.g. 1G or 512M"
                    + " (OCTOD_CONTAINER_MEMORY, default ${DEFAULT-VALUE}).")
    long memoryBytes;

    @Option(names = "--container-pids", defaultValue = "${env:OCTOD_CONTAINER_PIDS:-1024}", converter = Converters.Positive.class,
            description = "The most processes and threads one app container may run (OCTOD_CONTAINER_PIDS, default ${DEFAULT-VALUE}).")
    int pids;

    public ContainerLimits limits() {
        return new ContainerLimits(memoryBytes, pids);
    }
}
