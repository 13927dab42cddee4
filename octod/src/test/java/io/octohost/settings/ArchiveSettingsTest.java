package io.octohost.settings;

import io.octohost.app.UserError;
import io.octohost.source.DirSourceArchive;
import io.octohost.source.S3SourceArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --archive-store and its S3 settings: a bad value is one line naming the flag; keys come from files and stay out of messages. */
class ArchiveSettingsTest {
    @TempDir
    Path dir;

    private static Settings parse(String... args) {
        return SettingsTest.parse(args);
    }

    @Test
    void theDataDirIsTheDefaultStore() {
        assertInstanceOf(DirSourceArchive.class, parse().archives().archive(dir));
        assertEquals(dir.resolve("archives").toString(), parse().archives().archive(dir).describe());
    }

    @Test
    void anS3StoreReadsItsKeysFromTheirFiles() throws IOException {
        Path access = Files.writeString(dir.resolve("access"), "AKIAEXAMPLE\n");
        Path secret = Files.writeString(dir.resolve("secret"), "planted-secret-unit-0123456789\n");
        var archive = parse("--archive-store", "s3://octo-src/prod/", "--archive-s3-endpoint", "http://127.0.0.1:8333",
                "--archive-s3-access-key-file", access.toString(), "--archive-s3-secret-key-file", secret.toString()).archives().archive(dir);
        assertInstanceOf(S3SourceArchive.class, archive);
        assertEquals("s3://octo-src/prod", archive.describe());
    }

    @Test
    void badValuesAreOneLineErrorsAndNeverShowAKey() throws IOException {
        CommandLine.ParameterException scheme = assertThrows(CommandLine.ParameterException.class, () -> parse("--archive-store", "ftp://x"));
        assertTrue(scheme.getMessage().contains("'ftp://x' is not s3://bucket[/prefix]: give dir or s3://BUCKET[/PREFIX]"), scheme.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--archive-s3-endpoint", "ftp://127.0.0.1:1"));

        UserError noKeys = assertThrows(UserError.class, () -> parse("--archive-store", "s3://octo-src").archives().archive(dir));
        assertEquals("--archive-store s3://octo-src needs --archive-s3-access-key-file and --archive-s3-secret-key-file", noKeys.getMessage());

        Path access = Files.writeString(dir.resolve("access"), "AKIAEXAMPLE");
        UserError missing = assertThrows(UserError.class, () -> parse("--archive-store", "s3://octo-src", "--archive-s3-access-key-file",
                access.toString(), "--archive-s3-secret-key-file", dir.resolve("nope").toString()).archives().archive(dir));
        assertEquals("--archive-s3-secret-key-file: cannot read " + dir.resolve("nope") + " (NoSuchFileException)", missing.getMessage());
        assertFalse(missing.getMessage().contains("AKIAEXAMPLE"));
    }
}
