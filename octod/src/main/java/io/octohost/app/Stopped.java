package io.octohost.app;

/** A build that was told to stop ended here: {@code cancelled} or {@code timedout}, with why. */
public final class Stopped extends UserError {
    private final BuildStatus status;

    public Stopped(BuildStatus status, String reason) {
        super(reason);
        this.status = status;
    }

    public BuildStatus status() {
        return status;
    }
}
