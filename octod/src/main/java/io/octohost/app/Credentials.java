package io.octohost.app;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password taken from a URL's {@code user:pass@} (or {@code token@}, a user with an
 * empty password). Never printed: {@link #toString()} hides both, and {@link #redact} strips them
 * from any URL that is logged or shown.
 */
public record Credentials(String user, String password) {
    /** The credentials in a URL's raw user info, percent-decoded; empty when it has none. */
    public static Optional<Credentials> of(URI uri) {
        String raw = uri.getRawUserInfo();
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        int colon = raw.indexOf(':');
        String user = colon < 0 ? raw : raw.substring(0, colon);
        String password = colon < 0 ? "" : raw.substring(colon + 1);
        return Optional.of(new Credentials(decode(user), decode(password)));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The value of an {@code Authorization} header for HTTP basic auth. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The URL under this scheme without its user info and fragment: what is requested, shown and logged. */
    public static URI strip(URI uri, String scheme) {
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        return URI.create(scheme + "://" + authority.substring(authority.lastIndexOf('@') + 1) + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /** The URL without its user info, for logs and messages. */
    public static String redact(URI uri) {
        return redact(uri.toString());
    }

    /** Any text with URL user info ({@code scheme://user:pass@}) masked, for logs and messages. */
    public static String redact(String text) {
        return text.replaceAll("(?i)([a-z][a-z0-9+.-]*://)[^/\\s]+@", "$1***@");
    }

    @Override
    public String toString() {
        return "Credentials[***]";
    }
}
