package io.octohost.state;

import io.octohost.app.UserError;

import java.util.Collection;
import java.util.Locale;

/** What a key or token may do: admins run every command, deploy keys and tokens may only push, build and read. */
public enum Role {
    ADMIN, DEPLOY;

    public static Role parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid role '" + text + "': use admin or deploy");
        }
    }

    /** The one rule on app limits (--app), for keys and tokens alike: an admin is never limited. */
    public void checkLimit(Collection<?> apps) {
        if (this == ADMIN && !apps.isEmpty()) {
            throw new UserError("--app limits deploy keys and tokens only: an admin may touch every app");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
