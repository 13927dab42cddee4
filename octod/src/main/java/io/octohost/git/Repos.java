package io.octohost.git;

import io.octohost.app.AppName;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** The bare repositories, one per pushed repo name, under {@code DATA/repos/NAME.git}. */
public final class Repos {
    private final Path root;

    public Repos(Path root) {
        this.root = root;
    }

    public Path pathOf(AppName repo) {
        return root.resolve(repo + ".git");
    }

    public boolean exists(AppName repo) {
        return Files.isDirectory(pathOf(repo));
    }

    public Repository open(AppName repo) {
        return openAt(pathOf(repo));
    }

    /**
     * A new, empty repo beside the real ones. A first push receives into it, and it takes the
     * repo's name only if something was accepted: a rejected first push leaves nothing behind.
     */
    Path stage(AppName repo) {
        Path staging = root.resolve(".incoming").resolve(repo + "-" + UUID.randomUUID() + ".git");
        try {
            Files.createDirectories(staging.getParent());
            try (Repository r = new FileRepositoryBuilder().setGitDir(staging.toFile()).setBare().build()) {
                r.create(true);
                // no gc in a repo that is about to move: its lock files would vanish under it
                r.getConfig().setBoolean("receive", null, "autogc", false);
                r.getConfig().save();
            }
            return staging;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Repository openAt(Path dir) {
        try {
            return new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().setMustExist(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void adopt(Path staging, AppName repo) {
        try {
            Files.move(staging, pathOf(repo), StandardCopyOption.ATOMIC_MOVE);
            try (Repository r = open(repo)) {
                r.getConfig().unset("receive", null, "autogc");
                r.getConfig().save();
            }
            tidy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets what a destroyed app pushed: the whole repo when no app of it is left, else its branch. */
    public void forget(AppName repo, String branch, boolean wholeRepo) {
        if (!exists(repo)) {
            return;
        }
        if (wholeRepo) {
            discard(pathOf(repo));
            return;
        }
        try (Repository r = open(repo)) {
            org.eclipse.jgit.lib.RefUpdate update = r.updateRef("refs/heads/" + branch);
            update.setForceUpdate(true);
            update.delete();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a directory tree (a staging repo, or a destroyed app's repo). */
    public void discard(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the staging repos of pushes a crash interrupted: nothing of theirs was accepted. */
    public void discardStaging() {
        discard(root.resolve(".incoming"));
    }

    /** Removes the staging area once it is empty, so a rejected push leaves the data dir as it was. */
    void tidy() {
        Path incoming = root.resolve(".incoming");
        try (Stream<Path> left = Files.exists(incoming) ? Files.list(incoming) : Stream.empty()) {
            if (left.findAny().isEmpty()) {
                Files.deleteIfExists(incoming);
            }
        } catch (IOException e) {
            // another push is staging right now; it tidies up after itself
        }
    }
}
