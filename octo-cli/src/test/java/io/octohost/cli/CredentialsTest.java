package io.octohost.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialsTest {
    @TempDir
    Path home;

    @Test
    void theCredentialsFileIsPrivateAndReadsBackAndCoversItsOwnHostOnly() throws Exception {
        Path file = home.resolve(".config/octo/credentials");
        Credentials c = new Credentials(URI.create("http://127.0.0.1:8420"), "alice@example.com", "oct_abc", Instant.parse("2027-01-01T00:00:00Z"));
        c.write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(c, Credentials.read(file).orElseThrow());
        assertTrue(c.covers("http", "127.0.0.1:8420"));
        assertFalse(c.covers("https", "127.0.0.1:8420"));
        assertFalse(c.covers("http", "127.0.0.1:8421"));
        assertFalse(c.covers("http", "evil.example.com"));
        assertTrue(c.expired(Instant.parse("2027-01-01T00:00:00Z")));
        assertFalse(c.expired(Instant.parse("2026-12-31T23:59:59Z")));
        assertTrue(Credentials.read(home.resolve("none")).isEmpty());
    }

    @Test
    void aJsonStringIsQuotedWhateverItHolds() {
        assertEquals("\"a\\\"b\\\\c\\u000a\"", Login.quote("a\"b\\c\n"));
    }
}
