package io.octohost.builds;

import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.BuildStatus;
import io.octohost.app.Conflict;
import io.octohost.app.Json;
import io.octohost.app.NotFound;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Build records and their logs under the data dir: {@code builds/APP/ID.json} (written whole: temp
 * file, fsync, rename, so a crash leaves the old record or the new one) and {@code builds/APP/ID.log}.
 * A log is capped: past the cap its start is cut, its end kept, and the cut marked on its first line.
 * The newest {@code keep} builds of each app are kept; a build's {@link BuildArtifacts} go with it.
 */
public final class BuildStore {
    static final String CUT_MARK = "[octod: the start of this log was cut; a build log keeps its last %d bytes]\n";
    static final String STOPPED = "octod stopped during the build";
    private static final long FOLLOW_POLL_MS = 200;
    private final Path dir;
    private final int keep;
    private final long maxLogBytes;
    private final Clock clock;
    private final BuildArtifacts artifacts;
    private final BuildEvents events = new BuildEvents();

    public BuildStore(Path dir, int keep, long maxLogBytes, Clock clock) {
        this.dir = dir;
        this.keep = keep;
        this.maxLogBytes = maxLogBytes;
        this.clock = clock;
        this.artifacts = new BuildArtifacts(dir);
    }

    /** Stores a new build; its id must be new for its app. Drops the app's oldest ended builds beyond {@code keep}. */
    public synchronized Build create(Build build) {
        if (Files.exists(record(build.app(), build.id()))) {
            throw new Conflict("a build '" + build.id() + "' of " + build.app() + " exists already");
        }
        write(build);
        List<Build> all = list(build.app());
        all.stream().skip(keep).filter(b -> b.status().ended()).forEach(this::delete);
        events.publish(build);
        return build;
    }

    /** Replaces a stored build's record (a new status, its release). */
    public synchronized Build update(Build build) {
        if (!Files.exists(record(build.app(), build.id()))) {
            throw new NotFound("no build '" + build.id() + "' of " + build.app());
        }
        write(build);
        events.publish(build);
        return build;
    }

    /** Each record as it is created or changed. */
    public BuildEvents events() {
        return events;
    }

    /**
     * Forgets a build as if it never was: its record, its log, and the directories that held only
     * them (a first push that failed leaves nothing behind, its build neither).
     */
    public synchronized void forget(Build build) {
        delete(build);
        try {
            Files.deleteIfExists(dir.resolve(build.app().value()));
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // other builds stay, and their directories with them
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets every build of an app: its directory goes. */
    public synchronized void forget(AppName app) {
        Path appDir = dir.resolve(app.value());
        if (!Files.isDirectory(appDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(appDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The builds' artifacts, kept beside their records. */
    public BuildArtifacts artifacts() {
        return artifacts;
    }

    public Optional<Build> find(AppName app, BuildId id) {
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(record(app, id)), Build.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app's builds, newest first. */
    public List<Build> list(AppName app) {
        Path appDir = dir.resolve(app.value());
        if (!Files.isDirectory(appDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(appDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> find(app, new BuildId(n.substring(0, n.length() - ".json".length()))))
                    .flatMap(Optional::stream)
                    .sorted(Comparator.comparing(Build::created).thenComparing(b -> b.id().value()).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends one line to the build's log, cutting its start when it passes the cap. */
    public synchronized void appendLog(AppName app, BuildId id, String line) {
        Path log = log(app, id);
        try {
            Files.write(log, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (Files.size(log) > maxLogBytes) {
                cut(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the last three quarters of the cap, from a line start, under the mark. */
    private void cut(Path log) throws IOException {
        byte[] all = Files.readAllBytes(log);
        byte[] mark = String.format(CUT_MARK, maxLogBytes).getBytes(StandardCharsets.UTF_8);
        int from = (int) Math.max(0, all.length - (maxLogBytes * 3 / 4 - mark.length));
        while (from < all.length && from > 0 && all[from - 1] != '\n') {
            from++;
        }
        Path tmp = log.resolveSibling(log.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(mark);
            out.write(all, from, all.length - from);
        }
        Files.move(tmp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes the log as it is; with {@code follow}, goes on until the build has ended and all of it is written. */
    public void writeLog(AppName app, BuildId id, boolean follow, OutputStream out) throws IOException {
        Path log = log(app, id);
        long offset = 0;
        while (true) {
            boolean ended = find(app, id).map(b -> b.status().ended()).orElse(true);
            long size = Files.exists(log) ? Files.size(log) : 0;
            if (size < offset) {
                out.write("[octod: the log was cut while it was followed]\n".getBytes(StandardCharsets.UTF_8));
                offset = 0;
            }
            if (size > offset) {
                try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - offset, 1 << 20));
                    int n = ch.read(buf, offset);
                    out.write(buf.array(), 0, Math.max(n, 0));
                    offset += Math.max(n, 0);
                }
                out.flush();
                continue;
            }
            if (!follow || ended) {
                return;
            }
            try {
                Thread.sleep(FOLLOW_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * At start: a build that was pending, queued or building when octod stopped ends {@code failed},
     * saying so, so that none is left running forever. Returns how many.
     */
    public synchronized int recover() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> apps = Files.list(dir)) {
            int n = 0;
            for (Path appDir : apps.filter(Files::isDirectory).toList()) {
                for (Build b : list(AppName.of(appDir.getFileName().toString()))) {
                    if (!b.status().ended()) {
                        write(b.to(BuildStatus.FAILED, clock.instant(), STOPPED));
                        appendLog(b.app(), b.id(), "-----> " + STOPPED + ": failed");
                        n++;
                    }
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Build build) {
        Path file = record(build.app(), build.id());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(build));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete(Build build) {
        try {
            Files.deleteIfExists(log(build.app(), build.id()));
            artifacts.delete(build.app(), build.id());
            Files.deleteIfExists(record(build.app(), build.id()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path record(AppName app, BuildId id) {
        return dir.resolve(app.value()).resolve(id.value() + ".json");
    }

    private Path log(AppName app, BuildId id) {
        return dir.resolve(app.value()).resolve(id.value() + ".log");
    }
}
