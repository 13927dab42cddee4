package io.octohost.app;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;

/** The files of one commit that a deploy builds from: read one by one, or streamed whole as the build context. */
public interface SourceTree {
    Commit commit();

    /** A file at a path of the tree, if it is a regular file there. */
    Optional<byte[]> file(String path);

    /** The whole tree as a tar stream, what Docker builds, with the content of the {@code replaced} files changed. */
    void writeTar(OutputStream out, Map<String, byte[]> replaced) throws IOException;
}
