package io.octohost.e2e.archives;

import io.octohost.e2e.Octohost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source archive scenarios with the default store: {@code DATA/archives/APP/vN.tar.gz}, private to octod's user. */
@Tag("docker")
class SourceArchivesInDataDirTest extends SourceArchiveScenarios {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder().extraArgs("--keep-releases", KEEP_TWO).build();

    @Override
    Octohost octohost() {
        return octohost;
    }

    @Override
    String store() {
        return "dir";
    }

    /** The archive files, each checked to be octod's alone (0600 in a 0700 directory); no temporary file left behind. */
    @Override
    Set<Integer> stored(String app) {
        Path dir = octohost.dataDir().resolve("archives").resolve(app);
        Set<Integer> numbers = new TreeSet<>();
        if (!Files.exists(dir)) {
            return numbers;
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir::toString);
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.matches("v[0-9]+\\.tar\\.gz"), () -> "not an archive: " + f);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f::toString);
                numbers.add(Integer.parseInt(name.substring(1, name.indexOf('.'))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return numbers;
    }

    @Override
    byte[] storedBytes(String app, int release) {
        try {
            return Files.readAllBytes(octohost.dataDir().resolve("archives").resolve(app).resolve("v" + release + ".tar.gz"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
