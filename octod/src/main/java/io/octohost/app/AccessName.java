package io.octohost.app;

import java.util.regex.Pattern;

/** The rule for the names of keys and tokens: short, printable, usable as a state key. */
public final class AccessName {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

    private AccessName() {
    }

    /** The name, or a UserError naming what it was for ("key", "token"). */
    public static String check(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UserError("invalid " + what + " name '" + AppName.printable(name)
                    + "': use letters, digits, '_', '.', '@' and '-', 64 at most");
        }
        return name;
    }
}
