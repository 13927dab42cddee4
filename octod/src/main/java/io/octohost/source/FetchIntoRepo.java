package io.octohost.source;

import io.octohost.app.AppName;
import io.octohost.app.BuildControl;
import io.octohost.app.Progress;
import io.octohost.app.SourceTree;
import io.octohost.app.UserError;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Fetches a source into the app's own git repository, as a commit: a git URL's ref with JGit, a
 * tarball imported as a commit of its files. So every build, pushed or not, builds a commit's tree
 * ({@link CommitTree}) and every release names the commit it runs. Nothing points a ref at it.
 */
public final class FetchIntoRepo implements SourceFetcher {
    private final Function<AppName, Path> repoOf;
    /** Made at the first tarball: its HTTP clients start threads and load the trust store, which octod's start need not wait for. */
    private TarballImport tarballs;

    /** @param repoOf the git dir of the repository an app's sources go to (the one its pushes go to) */
    public FetchIntoRepo(Function<AppName, Path> repoOf) {
        this.repoOf = repoOf;
    }

    @Override
    public SourceTree fetch(AppName app, Source source, Progress progress, BuildControl control) {
        Path gitDir = repoOf.apply(app);
        if (!Files.isDirectory(gitDir)) {
            throw new UserError(app + " has no repository to fetch into: push it once first");
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().setMustExist(true).build()) {
            ObjectId commit;
            if (source instanceof Source.Tarball t) {
                commit = tarballs().importInto(repo, app, t, progress, control);
            } else if (source instanceof Source.Git g) {
                commit = GitFetch.fetchInto(repo, g, progress, control);
            } else {
                throw new IllegalArgumentException(source.describe() + " is not fetched");
            }
            progress.line("commit " + commit.name());
            return new CommitTree(gitDir, commit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized TarballImport tarballs() {
        if (tarballs == null) {
            tarballs = new TarballImport();
        }
        return tarballs;
    }
}
