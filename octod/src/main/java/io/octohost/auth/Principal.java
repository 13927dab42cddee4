package io.octohost.auth;

import io.octohost.app.AppName;
import io.octohost.state.Role;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is asking, at any edge: an SSH key, an API token, a user logged in with a password (octo login, its
 * token), or the local admin on the API socket. A
 * role, and the apps it is limited to (empty: every app). Permissions decides what it may do.
 */
public record Principal(String name, Kind kind, Role role, Set<AppName> apps) {
    public static final Principal LOCAL = new Principal("local", Kind.LOCAL, Role.ADMIN, Set.of());

    public enum Kind {
        KEY, TOKEN, LOCAL, USER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Principal {
        apps = Set.copyOf(new TreeSet<>(apps));
    }

    public static Principal key(String name, Role role, Set<AppName> apps) {
        return new Principal(name, Kind.KEY, role, apps);
    }

    /** Whether this principal's app limit (if any) includes the app. */
    public boolean covers(AppName app) {
        return apps.isEmpty() || apps.contains(app);
    }

    /** "key 'alice'", "token 'ci'", "the local admin": how messages, logs and records name it. */
    public String describe() {
        return kind == Kind.LOCAL ? "the local admin" : kind.label() + " '" + name + "'";
    }
}
