package io.octohost.builds;

import io.octohost.app.AppName;
import io.octohost.app.ArtifactSink;
import io.octohost.app.BuildId;
import io.octohost.app.NotFound;
import io.octohost.app.Printable;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files builds copied out of their images, beside their records: {@code builds/APP/ID.artifacts/NAME},
 * each written whole (a temp file, fsync, rename), byte for byte. They go with their build's record.
 */
public final class BuildArtifacts {
    private final Path dir;

    BuildArtifacts(Path dir) {
        this.dir = dir;
    }

    /** An artifact a build kept: its name and size in bytes. */
    public record Artifact(String name, long bytes) {
    }

    /** Keeps an artifact of a build, whole (a temp file renamed once written) or not at all. */
    public void keep(AppName app, BuildId id, String name, ArtifactSink.Content content) throws IOException {
        Path file = artifactDir(app, id).resolve(name);
        Path tmp = file.resolveSibling("." + name + ".tmp");
        Files.createDirectories(file.getParent());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(Channels.newOutputStream(ch));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The build's artifacts, by name. */
    public List<Artifact> list(AppName app, BuildId id) {
        Path kept = artifactDir(app, id);
        if (!Files.isDirectory(kept)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(kept)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                    .map(p -> new Artifact(p.getFileName().toString(), p.toFile().length())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One artifact of the build. @throws NotFound when the build kept none of that name */
    public Artifact find(AppName app, BuildId id, String name) {
        return list(app, id).stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFound("build '" + id + "' of " + app + " has no artifact '" + Printable.of(name, 70) + "'"));
    }

    /** Writes one artifact's bytes as they were kept. @throws NotFound when the build kept none of that name */
    public void write(AppName app, BuildId id, String name, OutputStream out) throws IOException {
        Files.copy(artifactDir(app, id).resolve(find(app, id, name).name()), out);
    }

    /** Deletes the build's artifacts, with its record. */
    void delete(AppName app, BuildId id) throws IOException {
        Path kept = artifactDir(app, id);
        if (Files.isDirectory(kept)) {
            try (Stream<Path> files = Files.list(kept)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(kept);
        }
    }

    private Path artifactDir(AppName app, BuildId id) {
        return dir.resolve(app.value()).resolve(id.value() + ".artifacts");
    }
}
