package io.octohost.deploy;

/**
 * The branch a push moves: checked once the app's lock is held, before anything else, and moved
 * once the release is live, still under the lock, so no other push of the app slips between.
 */
public interface BranchUpdate {
    /** @throws io.octohost.app.UserError when the branch moved while the push waited for the lock */
    void checkUnmoved();

    /** Moves (or deletes) the branch as pushed. */
    void apply();
}
