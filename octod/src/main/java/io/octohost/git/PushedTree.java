package io.octohost.git;

import io.octohost.app.Commit;
import io.octohost.app.SourceTree;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A pushed commit's tree, read straight from the object database: the build context is streamed
 * as a tar from git objects, so nothing is checked out to disk and no {@code git} binary is needed.
 */
final class PushedTree implements SourceTree {
    private final Repository repo;
    private final RevCommit commit;

    PushedTree(Repository repo, RevCommit commit) {
        this.repo = repo;
        this.commit = commit;
    }

    @Override
    public Commit commit() {
        return new Commit(commit.name());
    }

    @Override
    public Optional<byte[]> file(String path) {
        try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
            if (walk == null || (walk.getFileMode(0).getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                return Optional.empty();
            }
            return Optional.of(repo.open(walk.getObjectId(0)).getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void writeTar(OutputStream out, Map<String, byte[]> replaced) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        long mtime = commit.getCommitTime() * 1000L;
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                String path = walk.getPathString();
                if (mode == FileMode.GITLINK) {
                    continue; // submodules are not part of the pushed objects
                }
                ObjectLoader loader = repo.open(walk.getObjectId(0));
                if (mode == FileMode.SYMLINK) {
                    TarArchiveEntry entry = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(new String(loader.getBytes(), StandardCharsets.UTF_8));
                    entry.setModTime(mtime);
                    tar.putArchiveEntry(entry);
                } else {
                    byte[] replacement = replaced.get(path);
                    TarArchiveEntry entry = new TarArchiveEntry(path);
                    entry.setMode(mode == FileMode.EXECUTABLE_FILE ? 0100755 : 0100644);
                    entry.setSize(replacement == null ? loader.getSize() : replacement.length);
                    entry.setModTime(mtime);
                    tar.putArchiveEntry(entry);
                    if (replacement == null) {
                        loader.copyTo(tar);
                    } else {
                        tar.write(replacement);
                    }
                }
                tar.closeArchiveEntry();
            }
        }
        tar.finish();
    }
}
