package io.octohost.app;

/**
 * The labels octod puts on what it makes in Docker (images, containers, Swarm services and their
 * tasks). Cleanup and reconcile find things by these labels, never by name: two octods on one engine
 * never touch each other's containers.
 */
public final class Labels {
    public static final String APP = "octohost.app";
    public static final String INSTANCE = "octohost.instance";
    public static final String COMMIT = "octohost.commit";
    public static final String PORT = "octohost.port";
    public static final String RELEASE = "octohost.release";
    /** On a container: the Procfile type it runs (none: {@code web}). */
    public static final String PROCESS = "octohost.process";
    /** On a Swarm service: a digest of how its tasks run, to tell a scale (same digest) from a new rollout. */
    public static final String SPEC = "octohost.spec";

    private Labels() {
    }
}
