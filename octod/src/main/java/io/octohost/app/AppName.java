package io.octohost.app;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The name of a deployed app: a DNS label, so it can be a host name, a container name and a state key. */
public record AppName(@JsonValue String value) implements Comparable<AppName> {
    private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public AppName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new UserError("invalid app name '" + Printable.of(value, 80) + "': use 1 to 63 lowercase letters,"
                    + " digits and inner dashes");
        }
    }

    /** A repo name as the pusher typed it, which must already be a valid app name. */
    @JsonCreator
    public static AppName of(String value) {
        return new AppName(value);
    }

    /** Each name checked as {@link #of} does, sorted: the apps a key, token or user is limited to. */
    public static Set<AppName> allOf(Collection<String> values) {
        Set<AppName> names = new TreeSet<>();
        values.forEach(v -> names.add(of(v)));
        return names;
    }

    /** The app a branch deploys to: the repo's own app for its main branch, else APP-BRANCH, normalised. */
    public static AppName forBranch(AppName repo, String branch) {
        String suffix = branch.toLowerCase(Locale.ROOT).replaceAll("[/_.]", "-");
        String candidate = repo.value + "-" + suffix;
        try {
            return new AppName(candidate);
        } catch (UserError e) {
            throw new UserError("branch '" + Printable.of(branch, 80) + "' of " + repo + " gives the invalid app name '"
                    + Printable.of(candidate, 80) + "': use lowercase letters, digits, '-', '/', '_' and '.', 63 characters at most in all");
        }
    }

    @Override
    public int compareTo(AppName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
