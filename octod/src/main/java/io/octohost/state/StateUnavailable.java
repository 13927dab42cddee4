package io.octohost.state;

import io.octohost.app.UserError;

/**
 * The state store cannot be reached or refused a change: {@code state store unavailable: REASON}.
 * A user error (the user sees that one line), and a type of its own, so that whoever retries
 * (service registration, the DOMAINS watch) knows it from any other error.
 */
public final class StateUnavailable extends UserError {
    public StateUnavailable(String reason) {
        super("state store unavailable: " + reason);
    }

    public StateUnavailable(String reason, Throwable cause) {
        super("state store unavailable: " + reason, cause);
    }
}
