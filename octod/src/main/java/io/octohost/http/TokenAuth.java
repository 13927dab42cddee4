package io.octohost.http;

import io.octohost.auth.Principal;
import io.octohost.auth.Tokens;
import jakarta.servlet.http.HttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds the API token of a request: {@code Authorization: Bearer TOKEN}, or HTTP basic auth with the
 * token as the password and any user name (seed 000's style, what git's credential helpers send).
 */
final class TokenAuth {
    static final String CHALLENGE_BEARER = "Bearer realm=\"octod\"";
    static final String CHALLENGE_BASIC = "Basic realm=\"octod\", charset=\"UTF-8\"";
    private final Tokens tokens;

    TokenAuth(Tokens tokens) {
        this.tokens = tokens;
    }

    /** What went wrong, for the log line of a refused request; never the token itself. */
    enum Refusal {
        NO_CREDENTIALS("no token"), MALFORMED("a malformed Authorization header"), UNKNOWN("a token that is not valid");

        final String text;

        Refusal(String text) {
            this.text = text;
        }
    }

    /** The principal, or why there is none. */
    record Outcome(Principal principal, Refusal refusal) {
    }

    Outcome authenticate(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return new Outcome(null, Refusal.NO_CREDENTIALS);
        }
        Optional<String> token = presented(header.strip());
        if (token.isEmpty()) {
            return new Outcome(null, Refusal.MALFORMED);
        }
        return tokens.authenticate(token.get()).map(p -> new Outcome(p, null))
                .orElseGet(() -> new Outcome(null, Refusal.UNKNOWN));
    }

    static Optional<String> presented(String header) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return Optional.of(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String pair = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? Optional.empty() : Optional.of(pair.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
