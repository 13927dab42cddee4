package io.octohost.deploy;

import io.octohost.app.Commit;
import io.octohost.build.BuildContext;

import java.util.Optional;

/** The pushed tree of one commit: what a deploy builds from. */
public interface SourceTree extends BuildContext {
    Commit commit();

    /** A file at a path of the tree, if it is a regular file there. */
    Optional<byte[]> file(String path);
}
