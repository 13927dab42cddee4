package io.octohost.state;

import io.octohost.app.AccessName;
import io.octohost.app.AppName;
import io.octohost.app.Printable;
import io.octohost.app.UserError;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SSH keys allowed to push or run commands, kept in the state store under {@code octod/keys/}:
 * a record is the role, the public key and (for a deploy key limited with --app) the apps, one line each.
 */
public final class Keys {
    static final String PREFIX = "octod/keys/";
    /** authorized_keys options that say what octod does anyway: no PTY, no forwarding, no rc file. */
    private static final Set<String> ALWAYS_TRUE_OPTIONS = Set.of("restrict", "no-pty", "no-port-forwarding",
            "no-agent-forwarding", "no-x11-forwarding", "no-user-rc");
    private static final int MIN_RSA_BITS = 2048;
    private final StateStore store;
    private volatile List<Key> lastRead = List.of();

    public Keys(StateStore store) {
        this.store = store;
    }

    /** A stored key: its name, role, the {@code type base64} text of the public key, and the apps it is limited to (empty: all). */
    public record Key(String name, Role role, String publicKey, Set<AppName> apps) {
        public Key {
            apps = Set.copyOf(new TreeSet<>(apps));
        }

        public PublicKey parsed() {
            return parse(publicKey);
        }

        public String fingerprint() {
            return KeyUtils.getFingerPrint(parsed());
        }
    }

    public static String validName(String name) {
        return AccessName.check("key", name);
    }

    /**
     * Adds a key given as one authorized_keys line. The comment is dropped; options are refused,
     * but for those that say what octod does for every key anyway (see {@link #ALWAYS_TRUE_OPTIONS}).
     */
    public Key add(String name, Role role, Set<AppName> apps, String authorizedKeyText) {
        validName(name);
        role.checkLimit(apps);
        String normalised = normalise(authorizedKeyText);
        PublicKey publicKey = parse(normalised);
        synchronized (this) {
            if (store.get(PREFIX + name).isPresent()) {
                throw new UserError("a key named '" + name + "' exists already");
            }
            for (Key existing : list()) {
                if (KeyUtils.compareKeys(existing.parsed(), publicKey)) {
                    throw new UserError("this key is already added as '" + existing.name() + "'");
                }
            }
            Key key = new Key(name, role, normalised, apps);
            store.put(PREFIX + name, encode(key));
            return key;
        }
    }

    public void remove(String name) {
        validName(name);
        synchronized (this) {
            if (store.get(PREFIX + name).isEmpty()) {
                throw new UserError("no key named '" + name + "'");
            }
            store.delete(PREFIX + name);
        }
    }

    public List<Key> list() {
        return store.list(PREFIX).entrySet().stream().map(Keys::decode).toList();
    }

    /**
     * The stored key matching the offered one. While the state store is unreachable the keys last
     * read still let a pusher in, so that the push fails with the store's own error, not at login.
     */
    public Optional<Key> find(PublicKey offered) {
        List<Key> keys;
        try {
            keys = list();
            lastRead = keys;
        } catch (UserError e) {
            keys = lastRead;
        }
        return keys.stream().filter(k -> KeyUtils.compareKeys(k.parsed(), offered)).findFirst();
    }

    private static byte[] encode(Key key) {
        String apps = key.apps().isEmpty() ? "" : "\n" + String.join(" ", key.apps().stream().map(AppName::value).toList());
        return (key.role().label() + "\n" + key.publicKey() + apps).getBytes(StandardCharsets.UTF_8);
    }

    private static Key decode(Map.Entry<String, byte[]> entry) {
        String[] parts = new String(entry.getValue(), StandardCharsets.UTF_8).split("\n", -1);
        Set<AppName> apps = parts.length > 2 ? appsOf(parts[2]) : Set.of();
        return new Key(entry.getKey().substring(PREFIX.length()), Role.parse(parts[0]), parts[1], apps);
    }

    private static Set<AppName> appsOf(String line) {
        return AppName.allOf(List.of(line.split(" ", -1)));
    }

    /** Fails, saying why, unless this is a record keys:add would store: {@code ROLE\nTYPE BASE64[\nAPP APP...]}. */
    static void checkRecord(String name, byte[] record) {
        validName(name);
        String[] parts = new String(record, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length != 2 && parts.length != 3) {
            throw new UserError("a key record is a role, a public key and (for a limited deploy key) its apps, one line each");
        }
        Role role = Role.parse(parts[0]);
        if (!normalise(parts[1]).equals(parts[1])) {
            throw new UserError("the public key is not in the form 'TYPE BASE64'");
        }
        if (parts.length == 3) {
            role.checkLimit(appsOf(parts[2]));
        }
    }

    /** Reduces an authorized_keys line to {@code type base64}, or says why it is not a public key. */
    private static String normalise(String text) {
        String line = text == null ? "" : text.strip();
        if (line.isEmpty() || line.contains("\n")) {
            throw new UserError("malformed public key: give exactly one line in authorized_keys format (ssh-ed25519 AAAA...)");
        }
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
            if (entry == null) {
                throw new IllegalArgumentException("empty");
            }
            for (String option : entry.getLoginOptions().keySet()) {
                if (!ALWAYS_TRUE_OPTIONS.contains(option.toLowerCase(java.util.Locale.ROOT))) {
                    throw new UserError("the key has the option '" + Printable.of(option, 40) + "', which octod does not enforce:"
                            + " remove it (octod never runs a shell, a PTY or forwarding; limit a key with --role deploy)");
                }
            }
            String normalised = entry.getKeyType() + " " + java.util.Base64.getEncoder().encodeToString(entry.getKeyData());
            checkStrength(parse(normalised));
            return normalised;
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserError("malformed public key: " + firstLine(e));
        }
    }

    /** DSA is broken (1024 bits, SHA-1) and OpenSSH disabled it; short RSA keys can be factored. */
    private static void checkStrength(PublicKey key) {
        if (key instanceof DSAPublicKey) {
            throw new UserError("DSA keys (ssh-dss) are refused: they are too weak; use ssh-ed25519, ecdsa or RSA of "
                    + MIN_RSA_BITS + " bits or more");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new UserError("RSA keys of " + rsa.getModulus().bitLength() + " bits are refused: use at least " + MIN_RSA_BITS
                    + " bits (ssh-keygen -t rsa -b 4096), or ssh-ed25519");
        }
    }

    private static PublicKey parse(String normalised) {
        try {
            PublicKey key = AuthorizedKeyEntry.parseAuthorizedKeyEntry(normalised)
                    .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new UserError("malformed public key: unsupported key type");
            }
            return key;
        } catch (UserError e) {
            throw e;
        } catch (Exception e) {
            throw new UserError("malformed public key: " + firstLine(e));
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
