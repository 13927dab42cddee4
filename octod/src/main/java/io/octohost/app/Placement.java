package io.octohost.app;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where and with how much an app's instances run on a Swarm (the swarm runner's app config keys):
 * placement constraints such as {@code node.labels.tier==web}, at most so many instances per node,
 * a CPU limit, and the CPU and memory a node must have free for an instance. The docker runner,
 * one host, reads none of them.
 */
public record Placement(List<String> constraints, OptionalInt maxPerNode, OptionalLong cpuLimitNanos,
                        OptionalLong cpuReservationNanos, OptionalLong memoryReservationBytes) {
    public static final Placement ANYWHERE = new Placement(List.of(), OptionalInt.empty(), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty());

    public Placement {
        constraints = List.copyOf(constraints);
    }
}
