package io.octohost.app;

/**
 * The labels octod puts on what it makes in Docker (images and containers). Cleanup and reconcile
 * find things by these labels, never by name: two octods on one engine never touch each other's.
 */
public final class Labels {
    public static final String APP = "octohost.app";
    public static final String INSTANCE = "octohost.instance";
    public static final String COMMIT = "octohost.commit";
    public static final String PORT = "octohost.port";
    public static final String RELEASE = "octohost.release";

    private Labels() {
    }
}
