package io.octohost.app;

/**
 * A running instance (a container, or a Swarm task) as routing and readiness see it: nginx reaches
 * it at {@code host:hostPort} (the loopback address for a local container, the node's address for a
 * Swarm task); octod's own readiness probe, where it runs one, goes to {@code containerIp:containerPort}.
 */
public record Backend(String containerId, String containerName, String containerIp, int containerPort, String host,
                      int hostPort) {
    /** Where a container on this host publishes its port. */
    public static final String LOCAL_HOST = "127.0.0.1";

    public String shortId() {
        return containerId.substring(0, Math.min(12, containerId.length()));
    }
}
