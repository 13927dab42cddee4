package io.octohost.source;

import io.octohost.app.AppName;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The archives in the data dir: {@code DATA/archives/APP/vN.tar.gz}, readable by octod's user only
 * (the source is as private as the repo). Written to a temporary file beside, synced, then renamed
 * into place, so a crash leaves the whole archive or none.
 */
public final class DirSourceArchive implements SourceArchive {
    private final Path root;

    public DirSourceArchive(Path root) {
        this.root = root;
    }

    @Override
    public void put(AppName app, int release, Content content) {
        Path dir = root.resolve(app.value());
        Path tmp = null;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            tmp = Files.createTempFile(dir, ".v" + release + "-", ".tmp"); // 0600, as createTempFile makes it
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, dir.resolve(SourceArchive.fileName(release)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the source archive of " + app + " v" + release + " in " + dir, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public Optional<InputStream> open(AppName app, int release) {
        try {
            return Optional.of(Files.newInputStream(file(app, release)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public SortedSet<Integer> releases(AppName app) {
        SortedSet<Integer> numbers = new TreeSet<>();
        Path dir = root.resolve(app.value());
        if (!Files.isDirectory(dir)) {
            return numbers;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            files.forEach(f -> SourceArchive.release(f.getFileName().toString()).ifPresent(numbers::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return numbers;
    }

    @Override
    public void delete(AppName app, int release) {
        try {
            Files.deleteIfExists(file(app, release));
            Path dir = root.resolve(app.value());
            try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
                if (!left.iterator().hasNext()) {
                    Files.deleteIfExists(dir);
                }
            }
        } catch (NoSuchFileException | java.nio.file.DirectoryNotEmptyException e) {
            // gone already, or a put came in meanwhile: nothing to tidy
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }

    private Path file(AppName app, int release) {
        return root.resolve(app.value()).resolve(SourceArchive.fileName(release));
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a leftover temporary file is harmless: its name is no archive's
            }
        }
    }
}
