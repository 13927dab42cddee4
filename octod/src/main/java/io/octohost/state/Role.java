package io.octohost.state;

import io.octohost.app.UserError;

import java.util.Locale;

/** What a key may do: admins run every command, deploy keys may only push. */
public enum Role {
    ADMIN, DEPLOY;

    public static Role parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid role '" + text + "': use admin or deploy");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
