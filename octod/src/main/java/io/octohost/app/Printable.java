package io.octohost.app;

/**
 * User input made fit to show on one line, in a message or a log: control characters (a newline
 * among them, which could forge a log line) are escaped as {@code \xNN}, and long input is cut.
 */
public final class Printable {
    private Printable() {
    }

    public static String of(String text) {
        return of(text, 200);
    }

    /** At most {@code max} characters of the text, escaped, with "..." when it was longer. */
    public static String of(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(max).forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > max ? out + "..." : out.toString();
    }
}
