package io.octohost.app;

/** A user error of its own kind, so that an HTTP client gets 409: it exists already (a build id used twice). */
public final class Conflict extends UserError {
    public Conflict(String message) {
        super(message);
    }
}
