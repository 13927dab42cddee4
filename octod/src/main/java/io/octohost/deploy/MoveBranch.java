package io.octohost.deploy;

/** Moves the pushed branch once its release is live: a ref moves only when its deploy succeeded. */
final class MoveBranch implements Step {
    private final BranchUpdate branch;

    MoveBranch(BranchUpdate branch) {
        this.branch = branch;
    }

    @Override
    public void run(Deploy deploy) {
        branch.apply();
    }
}
