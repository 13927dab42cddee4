package io.octohost.app;

import java.util.Locale;
import java.util.regex.Pattern;

/** A host name an app answers to: RFC 1123, 253 characters at most, labels of 63; may start with {@code *.}. */
public record Domain(String value) implements Comparable<Domain> {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public Domain {
        if (!valid(value)) {
            throw new UserError("invalid domain '" + Printable.of(value, 80) + "': not a host name");
        }
    }

    public static Domain of(String text) {
        return new Domain(text == null ? null : text.strip().toLowerCase(Locale.ROOT));
    }

    private static boolean valid(String value) {
        if (value == null || value.isEmpty() || value.length() > 253) {
            return false;
        }
        String rest = value.startsWith("*.") ? value.substring(2) : value;
        String[] labels = rest.split("\\.", -1);
        if (labels.length < 1) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Domain other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
