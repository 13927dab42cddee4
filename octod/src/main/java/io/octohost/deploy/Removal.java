package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.build.ImageBuilder;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.Releases;
import io.octohost.state.StateStore;

import java.util.ArrayList;
import java.util.List;

/** Removes one app: its containers, route, images and records. Nothing of any other app. */
public final class Removal {
    private final Deployer deployer;
    private final ImageBuilder images;
    private final StateStore store;
    private final AppClaims claims;
    private final Releases releases;

    public Removal(Deployer deployer, ImageBuilder images, StateStore store, AppClaims claims, Releases releases) {
        this.deployer = deployer;
        this.images = images;
        this.store = store;
        this.claims = claims;
        this.releases = releases;
    }

    public void remove(AppName app, Progress progress) {
        deployer.locked(app, progress, () -> {
            deployer.destroy(app, progress);
            images.removeImages(app);
            List<StateStore.Change> forget = new ArrayList<>(List.of(claims.release(app)));
            forget.add(new StateStore.Change.DeletePrefix(AppConfigs.PREFIX + app + "/"));
            forget.add(releases.forget(app));
            store.apply(forget);
            return null;
        });
    }
}
