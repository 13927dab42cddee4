package io.octohost.source;

import io.octohost.app.AppName;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Where each release keeps the source it was built from, a {@code .tar.gz} per app and release
 * number: the data dir ({@link DirSourceArchive}) or an S3 bucket ({@link S3SourceArchive}).
 */
public interface SourceArchive {
    /** What writes the archive's bytes. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Stores the archive of the release whole (a reader never sees half of one), replacing any there. */
    void put(AppName app, int release, Content content);

    /** The release's archive, if one is stored; the caller closes the stream. */
    Optional<InputStream> open(AppName app, int release);

    /** The numbers of the app's releases that have an archive. */
    SortedSet<Integer> releases(AppName app);

    /** Deletes the release's archive; nothing when there is none. */
    void delete(AppName app, int release);

    /** Where the archives are, for messages: never a secret. */
    String describe();

    /** The archive's name inside the app's folder or key prefix. */
    static String fileName(int release) {
        return "v" + release + ".tar.gz";
    }

    /** The release number of an archive's name, if it is one. */
    static Optional<Integer> release(String fileName) {
        return fileName.matches("v[1-9][0-9]{0,8}\\.tar\\.gz")
                ? Optional.of(Integer.parseInt(fileName.substring(1, fileName.length() - ".tar.gz".length())))
                : Optional.empty();
    }
}
