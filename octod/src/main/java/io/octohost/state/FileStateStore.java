package io.octohost.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The embedded store: the whole map in memory, persisted as one file that every change rewrites
 * (write, fsync, rename, fsync the directory). A crash at any moment leaves the old file or the new
 * one, so a transaction is never torn. The state of a single host is small; clarity wins here.
 */
public final class FileStateStore implements StateStore {
    static final String HEADER = "octohost-state 1";
    private final Path file;
    private final TreeMap<String, byte[]> entries = new TreeMap<>();

    public FileStateStore(Path dir) {
        this.file = dir.resolve("state.db");
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                load();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state in " + file, e);
        }
    }

    private void load() throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + " is not an octohost state file");
        }
        for (String line : lines.subList(1, lines.size())) {
            Map.Entry<String, byte[]> entry = decodeLine(line);
            entries.put(entry.getKey(), entry.getValue());
        }
    }

    /**
     * One entry of the file: {@code base64(key) base64(value)}.
     * @throws IllegalArgumentException when the line is not that
     */
    static Map.Entry<String, byte[]> decodeLine(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected 'BASE64KEY BASE64VALUE'");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return Map.entry(new String(b64.decode(parts[0]), StandardCharsets.UTF_8), b64.decode(parts[1]));
    }

    @Override
    public synchronized Optional<byte[]> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
    }

    @Override
    public synchronized SortedMap<String, byte[]> list(String prefix) {
        TreeMap<String, byte[]> copy = new TreeMap<>();
        entries.tailMap(prefix, true).entrySet().stream()
                .takeWhile(e -> e.getKey().startsWith(prefix))
                .forEach(e -> copy.put(e.getKey(), e.getValue().clone()));
        return copy;
    }

    @Override
    public synchronized void apply(List<Change> changes) {
        TreeMap<String, byte[]> next = new TreeMap<>(entries);
        for (Change change : changes) {
            if (change instanceof Change.Put put) {
                next.put(put.key(), put.value().clone());
            } else if (change instanceof Change.Delete delete) {
                next.remove(delete.key());
            } else if (change instanceof Change.DeletePrefix prefix) {
                next.keySet().removeIf(k -> k.startsWith(prefix.prefix()));
            }
        }
        persist(next);
        entries.clear();
        entries.putAll(next);
    }

    private void persist(TreeMap<String, byte[]> map) {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        map.forEach((k, v) -> out.append(b64.encodeToString(k.getBytes(StandardCharsets.UTF_8)))
                .append(' ').append(b64.encodeToString(v)).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.US_ASCII));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new StateUnavailable("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
