package io.octohost.app;

/** A user error of its own kind, so that an HTTP client gets 404: what was asked for does not exist (an app, a build). */
public final class NotFound extends UserError {
    public NotFound(String message) {
        super(message);
    }
}
