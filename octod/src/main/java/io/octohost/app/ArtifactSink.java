package io.octohost.app;

import java.io.IOException;
import java.io.OutputStream;

/** Where a build keeps the files its build file copies out of the new image: with the build's record. */
public interface ArtifactSink {
    /** Keeps what {@code content} writes under {@code name}: all of it, or nothing when it fails. */
    void keep(String name, Content content) throws IOException;

    /** Writes an artifact's bytes. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** For deploys no build record is kept for: a build file's artifacts cannot be asked for there. */
    ArtifactSink NONE = (name, content) -> {
        throw new UserError("artifact '" + name + "' has no build record to be kept with");
    };
}
