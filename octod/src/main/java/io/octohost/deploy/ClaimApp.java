package io.octohost.deploy;

import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;

/**
 * Claims the app name for the pushing repo and branch, unless another app holds its default name; a
 * first deploy that fails gives the name back.
 */
final class ClaimApp implements Step {
    private final AppClaims claims;
    private final AppConfigs configs;
    private final AppClaims.Owner owner;
    private Runnable unclaim = () -> { };

    ClaimApp(AppClaims claims, AppConfigs configs, AppClaims.Owner owner) {
        this.claims = claims;
        this.configs = configs;
        this.owner = owner;
    }

    @Override
    public void run(Deploy deploy) {
        configs.checkDefaultDomainFree(deploy.app());
        unclaim = claims.claim(deploy.app(), owner);
    }

    @Override
    public void undo(Deploy deploy) {
        unclaim.run();
    }
}
