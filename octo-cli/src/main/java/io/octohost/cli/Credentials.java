package io.octohost.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What octo login keeps: the octod's URL, the token and when it expires, in
 * {@code ~/.config/octo/credentials} (mode 0600, its directory 0700), as {@code key=value} lines.
 * Written to a temporary file of mode 0600 first, then renamed: never readable by others, never torn.
 */
public record Credentials(URI url, String email, String token, Instant expires) {
    public static Path defaultFile() {
        String config = System.getenv("XDG_CONFIG_HOME");
        Path base = config != null && !config.isBlank() ? Path.of(config) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("octo").resolve("credentials");
    }

    /** The credentials in the file, when there is one and it is whole. */
    public static Optional<Credentials> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!values.keySet().containsAll(java.util.List.of("url", "email", "token", "expires"))) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(URI.create(values.get("url")), values.get("email"), values.get("token"),
                Instant.parse(values.get("expires"))));
    }

    public void write(Path file) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path temp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String text = "url=" + url + "\nemail=" + email + "\ntoken=" + token + "\nexpires=" + expires + "\n";
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether a URL git asks credentials for (its protocol and host, as the credential protocol gives them) is this octod's. */
    public boolean covers(String protocol, String host) {
        String authority = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
        return url.getScheme().equalsIgnoreCase(protocol) && authority.equalsIgnoreCase(host);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expires);
    }
}
