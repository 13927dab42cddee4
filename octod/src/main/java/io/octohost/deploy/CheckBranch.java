package io.octohost.deploy;

/** Refuses a push whose branch moved while it waited for the app's lock (stale info). */
final class CheckBranch implements Step {
    private final BranchUpdate branch;

    CheckBranch(BranchUpdate branch) {
        this.branch = branch;
    }

    @Override
    public void run(Deploy deploy) {
        branch.checkUnmoved();
    }
}
