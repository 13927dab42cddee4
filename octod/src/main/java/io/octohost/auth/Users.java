package io.octohost.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.octohost.app.AccessName;
import io.octohost.app.AppName;
import io.octohost.app.Json;
import io.octohost.app.UserError;
import io.octohost.state.Role;
import io.octohost.state.StateStore;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * People who log in with an email and a password (octo login) instead of an SSH key, kept in the
 * state store under {@code octod/users/EMAIL}: a role, the apps a deploy user is limited to, and the
 * password's bcrypt hash (Bouncy Castle's, cost {@value #COST}); never the password.
 */
public final class Users {
    static final String PREFIX = "octod/users/";
    /** The records state:import may store here: the key prefix and {@link #checkRecord}. */
    public static final String RECORDS = PREFIX;
    static final int COST = 10;
    private static final int MIN_PASSWORD = 8;
    /** bcrypt reads 72 bytes at most: a longer password would be cut without a word. */
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Checked against when there is no such user, so that a login takes as long either way: the hash of
     * "no such user" with a zero salt at cost {@value #COST}, written out because computing it cost every
     * start ~0.1 s (UsersTest checks it).
     */
    static final String NO_USER_HASH = "$2y$10$.......................G07Ok4fkI0ExAScNtZDCzO.uKZ6dzm";
    private final StateStore store;
    private final Clock clock;

    public Users(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A user as shown: never the hash. */
    public record User(String email, Role role, Set<AppName> apps, Instant created) {
        public Principal principal() {
            return new Principal(email, Principal.Kind.USER, role, apps);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Stored(String role, List<String> apps, String bcrypt, Instant created) {
        User user(String email) {
            return new User(email, Role.parse(role), AppName.allOf(apps), created);
        }

        static Stored decode(byte[] bytes) {
            try {
                return Json.MAPPER.readValue(bytes, Stored.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An email as a user's name: one that is also a valid state key. */
    public static String checkEmail(String email) {
        AccessName.check("user", email);
        if (email.indexOf('@') <= 0 || email.endsWith("@")) {
            throw new UserError("invalid email '" + email + "': a user is named by an email address, like alice@example.com");
        }
        return email;
    }

    public synchronized User add(String email, Role role, Set<AppName> apps, String password) {
        checkEmail(email);
        role.checkLimit(apps);
        if (store.get(PREFIX + email).isPresent()) {
            throw new UserError("a user '" + email + "' exists already");
        }
        Stored stored = new Stored(role.label(), apps.stream().map(AppName::value).sorted().toList(), hash(password), clock.instant());
        store.put(PREFIX + email, Json.write(stored).getBytes(StandardCharsets.UTF_8));
        return stored.user(email);
    }

    public synchronized void setPassword(String email, String password) {
        Stored s = stored(email).orElseThrow(() -> new UserError("no user '" + checkEmail(email) + "'"));
        store.put(PREFIX + email, Json.write(new Stored(s.role(), s.apps(), hash(password), s.created())).getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void remove(String email) {
        if (stored(email).isEmpty()) {
            throw new UserError("no user '" + checkEmail(email) + "'");
        }
        store.delete(PREFIX + email);
    }

    public List<User> list() {
        return store.list(PREFIX).entrySet().stream()
                .map(e -> Stored.decode(e.getValue()).user(e.getKey().substring(PREFIX.length()))).toList();
    }

    public Optional<User> find(String email) {
        return stored(email).map(s -> s.user(email));
    }

    /** The user, when the password is theirs; empty otherwise (no such user, or a wrong password), in about the same time. */
    public Optional<User> check(String email, String password) {
        Optional<Stored> stored;
        try {
            stored = stored(email);
        } catch (UserError e) {
            stored = Optional.empty();
        }
        String hash = stored.map(Stored::bcrypt).orElse(NO_USER_HASH);
        boolean matches = password != null && passwordBytes(password) <= MAX_PASSWORD_BYTES
                && OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        return matches ? stored.map(s -> s.user(email)) : Optional.empty();
    }

    private Optional<Stored> stored(String email) {
        checkEmail(email);
        return store.get(PREFIX + email).map(Stored::decode);
    }

    /** Fails, saying why, unless this is a record users:add would store. */
    public static void checkRecord(String key, byte[] value) {
        String email = checkEmail(key.substring(PREFIX.length()));
        Stored stored;
        try {
            stored = Json.MAPPER.readValue(value, Stored.class);
        } catch (IOException e) {
            throw new UserError("not a user record (" + e.getClass().getSimpleName() + ")");
        }
        if (stored.role() == null || stored.apps() == null || stored.created() == null || stored.bcrypt() == null
                || !stored.bcrypt().matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            throw new UserError("a user record has a role, apps, a bcrypt hash and a creation time");
        }
        User user = stored.user(email);
        user.role().checkLimit(user.apps());
    }

    private static String hash(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            throw new UserError("the password is too short: use " + MIN_PASSWORD + " characters or more");
        }
        if (passwordBytes(password) > MAX_PASSWORD_BYTES) {
            throw new UserError("the password is too long: bcrypt uses " + MAX_PASSWORD_BYTES + " bytes of it at most");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(password.toCharArray(), salt, COST);
    }

    private static int passwordBytes(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length;
    }
}
