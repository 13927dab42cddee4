package io.octohost.auth;

import io.octohost.app.UserError;
import io.octohost.state.Role;

import java.util.EnumSet;
import java.util.Set;

/**
 * The one permission check every edge calls (SSH, the API socket, HTTP). The rules, as the README's
 * table has them: an admin may do everything to every app (admins are never limited to apps); a
 * deploy key or token may push, build and read, and only the apps it is limited to when it has a
 * limit; destroying an app, admin actions (octo commands), builds from a repository on octod's
 * own host and fetching a repo over HTTP are for admins only.
 */
public final class Permissions {
    private static final Set<Action.Verb> ADMINS_ONLY = EnumSet.of(Action.Verb.ADMIN, Action.Verb.DESTROY, Action.Verb.BUILD_FROM_HOST,
            Action.Verb.FETCH, Action.Verb.READ_SOURCE);

    private Permissions() {
    }

    /** A principal asked for something it may not do. */
    public static final class Forbidden extends UserError {
        Forbidden(String message) {
            super(message);
        }
    }

    public static boolean allows(Principal who, Action action) {
        if (who.role() == Role.ADMIN) {
            return true;
        }
        if (ADMINS_ONLY.contains(action.verb())) {
            return false;
        }
        return action.app().map(who::covers).orElse(true);
    }

    public static void require(Principal who, Action action) {
        if (!allows(who, action)) {
            String why = ADMINS_ONLY.contains(action.verb()) ? "may only push, build and read"
                    : "is limited to " + String.join(", ", who.apps().stream().map(Object::toString).sorted().toList());
            throw new Forbidden("permission denied: " + who.describe() + " may not " + action.describe() + " (" + who.role().label()
                    + " " + who.kind().label() + ": " + why + ")");
        }
    }
}
