package io.octohost.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.app.Json;
import io.octohost.app.Printable;
import io.octohost.auth.LoginLimiter;
import io.octohost.auth.Tokens;
import io.octohost.auth.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * octo login and logout: an email and a password for a token that expires (--login-token-ttl), and
 * that token revoked. Failed logins are logged with the email and the address (never the password)
 * and rate-limited per user and per address: 429 with Retry-After.
 */
final class LoginEndpoints {
    private static final Logger log = LoggerFactory.getLogger(LoginEndpoints.class);
    private final Users users;
    private final Tokens tokens;
    private final LoginLimiter limiter;
    private final Duration ttl;

    LoginEndpoints(Users users, Tokens tokens, LoginLimiter limiter, Duration ttl) {
        this.users = users;
        this.tokens = tokens;
        this.limiter = limiter;
        this.ttl = ttl;
    }

    List<Route> routes() {
        return List.of(Route.post("/v1/login", this::login).open(), Route.delete("/v1/login", this::logout));
    }

    private void login(Exchange ex) throws IOException {
        JsonNode body = ex.json(Json.MAPPER.reader());
        String email = text(body, "email");
        String password = text(body, "password");
        String shown = Printable.of(email, 80);
        Optional<Duration> wait = limiter.waitFor(email, ex.address());
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds() + 1);
            log.info("login of {} from {} refused: too many failed logins, {} s to wait", shown, ex.address(), seconds);
            ex.header("Retry-After", String.valueOf(seconds));
            throw new ApiError(429, "too many failed logins: try again in " + seconds + " s");
        }
        Optional<Users.User> user = users.check(email, password);
        if (user.isEmpty()) {
            limiter.failed(email, ex.address());
            log.info("failed login of {} from {}: wrong email or password", shown, ex.address());
            throw new ApiError(401, "wrong email or password");
        }
        limiter.succeeded(email);
        Tokens.Login login = tokens.login(user.get(), ttl);
        log.info("{} logged in from {} (token {}, until {})", shown, ex.address(), login.name(), login.expires());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", login.token());
        answer.put("name", login.name());
        answer.put("expires", login.expires());
        answer.put("email", user.get().email());
        answer.put("role", user.get().role().label());
        ex.json(200, answer);
    }

    /** Revokes the token the request came with. */
    private void logout(Exchange ex) throws IOException {
        Optional<String> token = ex.presentedToken();
        if (token.isEmpty() || !tokens.revokePresented(token.get())) {
            throw new ApiError(401, "the token is not valid any more");
        }
        ex.json(200, Map.of("status", "logged out"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new ApiError(400, field + ": missing (send {\"email\": ..., \"password\": ...})");
        }
        return value.asText();
    }
}
