package io.octohost.state;

import io.octohost.app.AccessName;
import io.octohost.app.UserError;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SSH keys allowed to push or run commands, kept in the state store under {@code octod/keys/}. */
public final class Keys {
    private static final String PREFIX = "octod/keys/";
    private final StateStore store;
    private volatile List<Key> lastRead = List.of();

    public Keys(StateStore store) {
        this.store = store;
    }

    /** A stored key: its name, role and the {@code type base64} text of the public key. */
    public record Key(String name, Role role, String publicKey) {
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

    /** Adds a key given as one authorized_keys line (options and comment are dropped). */
    public Key add(String name, Role role, String authorizedKeyText) {
        validName(name);
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
            Key key = new Key(name, role, normalised);
            store.put(PREFIX + name, (role.label() + "\n" + normalised).getBytes(StandardCharsets.UTF_8));
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

    private static Key decode(Map.Entry<String, byte[]> entry) {
        String[] parts = new String(entry.getValue(), StandardCharsets.UTF_8).split("\n", 2);
        return new Key(entry.getKey().substring(PREFIX.length()), Role.parse(parts[0]), parts[1]);
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
            String normalised = entry.getKeyType() + " " + java.util.Base64.getEncoder().encodeToString(entry.getKeyData());
            parse(normalised);
            return normalised;
        } catch (RuntimeException e) {
            throw new UserError("malformed public key: " + firstLine(e));
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
