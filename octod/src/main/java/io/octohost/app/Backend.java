package io.octohost.app;

/** A running container as routing and readiness see it. */
public record Backend(String containerId, String containerName, String containerIp, int containerPort, int hostPort) {
    public String shortId() {
        return containerId.substring(0, Math.min(12, containerId.length()));
    }
}
