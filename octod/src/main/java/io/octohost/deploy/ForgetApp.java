package io.octohost.deploy;

import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.Releases;
import io.octohost.state.StateStore;

import java.util.ArrayList;
import java.util.List;

/** Deletes the app's records in one transaction: its owner, its config and its releases. */
final class ForgetApp implements Step {
    private final StateStore store;
    private final AppClaims claims;
    private final Releases releases;

    ForgetApp(StateStore store, AppClaims claims, Releases releases) {
        this.store = store;
        this.claims = claims;
        this.releases = releases;
    }

    @Override
    public void run(Deploy deploy) {
        List<StateStore.Change> forget = new ArrayList<>(List.of(claims.release(deploy.app())));
        forget.add(new StateStore.Change.DeletePrefix(AppConfigs.PREFIX + deploy.app() + "/"));
        forget.add(releases.forget(deploy.app()));
        store.apply(forget);
    }
}
