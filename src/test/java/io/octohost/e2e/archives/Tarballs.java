package io.octohost.e2e.archives;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** What a source tarball holds, entry by entry, to compare two of them: each path with its kind, executable bit and bytes. */
final class Tarballs {
    private Tarballs() {
    }

    /**
     * {@code path -> "file +x SHA-256"}, {@code "file -x SHA-256"} or {@code "link -> TARGET"} for every
     * file and symbolic link of a {@code .tar.gz} (directories and pax headers are how a tar writer
     * spells a tree, not part of it). Fails on anything that is not gzip and tar.
     */
    static SortedMap<String, String> entries(byte[] tarGz) {
        SortedMap<String, String> entries = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isDirectory() || e.isGlobalPaxHeader() || e.isPaxHeader()) {
                    continue;
                }
                if (e.isSymbolicLink()) {
                    entries.put(e.getName(), "link -> " + e.getLinkName());
                } else if (e.isFile()) {
                    entries.put(e.getName(), "file " + ((e.getMode() & 0100) != 0 ? "+x " : "-x ") + sha256(tar.readAllBytes()));
                } else {
                    entries.put(e.getName(), "other type " + (char) e.getLinkFlag());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a .tar.gz: " + e.getMessage(), e);
        }
        return entries;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
