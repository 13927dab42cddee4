package io.octohost.deploy;

import io.octohost.state.AppClaims;

/** Claims the app name for the pushing repo and branch; a first deploy that fails gives the name back. */
final class ClaimApp implements Step {
    private final AppClaims claims;
    private final AppClaims.Owner owner;
    private Runnable unclaim = () -> { };

    ClaimApp(AppClaims claims, AppClaims.Owner owner) {
        this.claims = claims;
        this.owner = owner;
    }

    @Override
    public void run(Deploy deploy) {
        unclaim = claims.claim(deploy.app(), owner);
    }

    @Override
    public void undo(Deploy deploy) {
        unclaim.run();
    }
}
