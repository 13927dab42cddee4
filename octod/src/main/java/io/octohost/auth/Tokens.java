package io.octohost.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.octohost.app.AccessName;
import io.octohost.app.AppName;
import io.octohost.app.Json;
import io.octohost.app.UserError;
import io.octohost.state.Role;
import io.octohost.state.StateStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * API tokens, kept in the state store under {@code octod/tokens/NAME} (embedded store or Consul). A
 * token is {@code oct_} and 32 random bytes in base64url, shown once at creation; only its SHA-256
 * is stored (a hash of 256 random bits needs no salt or stretching to resist guessing).
 */
public final class Tokens {
    static final String PREFIX = "octod/tokens/";
    private static final String SCHEME = "oct_";
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final StateStore store;
    private final Clock clock;
    private final Users users;

    public Tokens(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.users = new Users(store, clock);
    }

    /** What is shown of a token: never the token itself. */
    public record Token(String name, Role role, Set<AppName> apps, Instant created, Instant lastUsed) {
        public Principal principal() {
            return new Principal(name, Principal.Kind.TOKEN, role, apps);
        }
    }

    /** The stored form; {@code lastUsed} is kept to the minute, so using a token rarely writes. */
    /** {@code user} and {@code expires}: a login token (octo login), which stands for its user as the user is now. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Stored(String role, List<String> apps, String sha256, Instant created, Instant lastUsed, String user, Instant expires) {
        Stored(String role, List<String> apps, String sha256, Instant created, Instant lastUsed) {
            this(role, apps, sha256, created, lastUsed, null, null);
        }

        Token token(String name) {
            return new Token(name, Role.parse(role), AppName.allOf(apps), created, lastUsed);
        }

        byte[] encode() {
            return Json.write(this).getBytes(StandardCharsets.UTF_8);
        }

        static Stored decode(byte[] bytes) {
            try {
                return Json.MAPPER.readValue(bytes, Stored.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The records state:import may store here: the key prefix and {@link #checkRecord}. */
    public static final String RECORDS = PREFIX;

    /**
     * Fails, saying why, unless this is a token record tokens:create would store: its name, a role,
     * app names (for deploy tokens only), a SHA-256 and the time it was made.
     */
    public static void checkRecord(String key, byte[] value) {
        String name = AccessName.check("token", key.substring(PREFIX.length()));
        Stored stored;
        try {
            stored = Json.MAPPER.readValue(value, Stored.class);
        } catch (IOException e) {
            throw new UserError("not a token record (" + e.getClass().getSimpleName() + ")");
        }
        if (stored.role() == null || stored.apps() == null || stored.created() == null
                || stored.sha256() == null || !stored.sha256().matches("[0-9a-f]{64}")) {
            throw new UserError("a token record has a role, apps, a sha256 and a creation time");
        }
        Token token = stored.token(name);
        token.role().checkLimit(token.apps());
    }

    /** Creates a token and returns it: the only time it is ever seen. */
    public synchronized String create(String name, Role role, Set<AppName> apps) {
        AccessName.check("token", name);
        role.checkLimit(apps);
        if (store.get(PREFIX + name).isPresent()) {
            throw new UserError("a token named '" + name + "' exists already");
        }
        String token = newToken();
        Stored stored = new Stored(role.label(), apps.stream().map(AppName::value).sorted().toList(), hash(token),
                clock.instant(), null);
        store.put(PREFIX + name, stored.encode());
        return token;
    }

    /** A token issued at login: it acts as the user (with the user's role and apps as they are at each use) until it expires. */
    public record Login(String name, String token, Instant expires) {
    }

    /** Issues a login token for the user, valid for {@code ttl}; listed and revocable like any token ({@code login-...}). */
    public Login login(Users.User user, Duration ttl) {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        String name = "login-" + HexFormat.of().formatHex(id);
        String token = newToken();
        Instant now = clock.instant();
        Stored stored = new Stored(user.role().label(), user.apps().stream().map(AppName::value).sorted().toList(), hash(token),
                now, null, user.email(), now.plus(ttl));
        store.put(PREFIX + name, stored.encode());
        return new Login(name, token, stored.expires());
    }

    /** Revokes the token presented (octo logout); false when it is no token of ours. */
    public synchronized boolean revokePresented(String presented) {
        Optional<Map.Entry<String, Stored>> found = find(presented);
        found.ifPresent(e -> store.delete(e.getKey()));
        return found.isPresent();
    }

    private static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public List<Token> list() {
        return store.list(PREFIX).entrySet().stream()
                .map(e -> Stored.decode(e.getValue()).token(e.getKey().substring(PREFIX.length()))).toList();
    }

    public synchronized void revoke(String name) {
        AccessName.check("token", name);
        if (store.get(PREFIX + name).isEmpty()) {
            throw new UserError("no token named '" + name + "'");
        }
        store.delete(PREFIX + name);
    }

    /**
     * The principal a presented token stands for; empty when it is no token of ours, it has expired, or
     * it is a login token whose user is gone.
     */
    public Optional<Principal> authenticate(String presented) {
        Optional<Map.Entry<String, Stored>> found = find(presented);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String name = found.get().getKey().substring(PREFIX.length());
        Stored stored = found.get().getValue();
        if (stored.expires() != null && !clock.instant().isBefore(stored.expires())) {
            return Optional.empty();
        }
        Optional<Principal> who = stored.user() == null ? Optional.of(stored.token(name).principal())
                : users.find(stored.user()).map(Users.User::principal);
        who.ifPresent(p -> noteUse(name, stored));
        return who;
    }

    /** The stored record (by key) whose hash is the presented token's. */
    private Optional<Map.Entry<String, Stored>> find(String presented) {
        if (presented == null || !presented.startsWith(SCHEME)) {
            return Optional.empty();
        }
        byte[] offered = hash(presented).getBytes(StandardCharsets.US_ASCII);
        for (Map.Entry<String, byte[]> e : store.list(PREFIX).entrySet()) {
            Stored stored = Stored.decode(e.getValue());
            if (MessageDigest.isEqual(offered, stored.sha256().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(Map.entry(e.getKey(), stored));
            }
        }
        return Optional.empty();
    }

    /** Records the use, to the minute; under the lock that revoke takes, so a revoked token never comes back. */
    private synchronized void noteUse(String name, Stored seen) {
        Instant now = clock.instant();
        if (seen.lastUsed() != null && seen.lastUsed().plus(LAST_USED_PRECISION).isAfter(now)) {
            return;
        }
        Optional<Stored> current = store.get(PREFIX + name).map(Stored::decode);
        if (current.isPresent() && current.get().sha256().equals(seen.sha256())) {
            Stored s = current.get();
            store.put(PREFIX + name, new Stored(s.role(), s.apps(), s.sha256(), s.created(), now, s.user(), s.expires()).encode());
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
