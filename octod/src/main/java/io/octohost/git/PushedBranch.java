package io.octohost.git;

import io.octohost.app.UserError;
import io.octohost.deploy.BranchUpdate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One pushed branch. The deploy moves it itself, under the app's lock: JGit then leaves a command
 * it finds done alone, and reports its result to the pusher.
 */
final class PushedBranch implements BranchUpdate {
    private final ReceivePack rp;
    private final ReceiveCommand cmd;

    PushedBranch(ReceivePack rp, ReceiveCommand cmd) {
        this.rp = rp;
        this.cmd = cmd;
    }

    @Override
    public void checkUnmoved() {
        checkUnmoved(rp.getRepository(), cmd, "while this push waited");
    }

    /** The one stale-ref check of a push, waiting or detached: the branch is still where the pusher saw it. */
    static void checkUnmoved(Repository repo, ReceiveCommand cmd, String when) {
        try {
            Ref now = repo.exactRef(cmd.getRefName());
            ObjectId current = now == null ? ObjectId.zeroId() : now.getObjectId();
            if (!current.equals(cmd.getOldId())) {
                throw new UserError("stale info: " + Repository.shortenRefName(cmd.getRefName()) + " moved to "
                        + current.abbreviate(7).name() + " " + when + "; fetch and push again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void apply() {
        cmd.execute(rp);
    }
}
