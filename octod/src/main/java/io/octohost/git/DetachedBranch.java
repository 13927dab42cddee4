package io.octohost.git;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.deploy.BranchUpdate;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * A branch pushed with {@code -o detach}: the push has ended by the time its build moves it, so the
 * build opens the repo itself and moves the branch from where it was at the push to the pushed commit,
 * only if it is still there (a push of the app in between makes it stale).
 */
final class DetachedBranch implements BranchUpdate {
    private static final Set<RefUpdate.Result> MOVED = Set.of(RefUpdate.Result.NEW, RefUpdate.Result.FORCED,
            RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.NO_CHANGE);
    private final Repos repos;
    private final AppName repo;
    private final ReceiveCommand cmd;

    DetachedBranch(Repos repos, AppName repo, ReceiveCommand cmd) {
        this.repos = repos;
        this.repo = repo;
        this.cmd = cmd;
    }

    @Override
    public void checkUnmoved() {
        try (Repository r = repos.open(repo)) {
            PushedBranch.checkUnmoved(r, cmd, "after this detached push");
        }
    }

    @Override
    public void apply() {
        try (Repository r = repos.open(repo)) {
            RefUpdate update = r.updateRef(cmd.getRefName());
            update.setExpectedOldObjectId(cmd.getOldId());
            update.setNewObjectId(cmd.getNewId());
            update.setForceUpdate(true);
            RefUpdate.Result result = update.update();
            if (!MOVED.contains(result)) {
                throw new UserError("could not move " + Repository.shortenRefName(cmd.getRefName()) + ": " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
