package io.octohost.app;

/** A user error of its own kind, so that an HTTP client gets 422: valid, but not now: the thing is not in a state for it (cancelling a build that is not running). */
public final class WrongState extends UserError {
    public WrongState(String message) {
        super(message);
    }
}
