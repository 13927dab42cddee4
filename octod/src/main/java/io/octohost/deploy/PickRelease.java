package io.octohost.deploy;

import io.octohost.app.Release;
import io.octohost.app.UserError;
import io.octohost.build.ImageBuilder;
import io.octohost.state.AppConfigs;
import io.octohost.state.Releases;

import java.util.OptionalInt;

/** A rollback's target: an earlier release (the one before the current by default), its image and its config. */
final class PickRelease implements Step {
    private final OptionalInt target;
    private final Releases releases;
    private final ImageBuilder images;
    private final AppConfigs configs;
    private final int keepReleases;

    PickRelease(OptionalInt target, Releases releases, ImageBuilder images, AppConfigs configs, int keepReleases) {
        this.target = target;
        this.releases = releases;
        this.images = images;
        this.configs = configs;
        this.keepReleases = keepReleases;
    }

    @Override
    public void run(Deploy deploy) {
        Release current = releases.current(deploy.app()).orElseThrow(() -> new UserError(deploy.app() + " has no release yet"));
        int number = target.orElse(current.number() - 1);
        Release old = releases.find(deploy.app(), number)
                .orElseThrow(() -> new UserError(deploy.app() + " has no release v" + number));
        if (!images.exists(old.imageId())) {
            throw new UserError("cannot roll back to " + old.label() + ": its image was deleted (only the last "
                    + keepReleases + " releases keep theirs, --keep-releases)");
        }
        deploy.progress().stage("Rolling back " + deploy.app() + " to " + old.label() + " (" + old.commit().shortSha() + ")");
        deploy.image(old.commit(), old.imageId(), old.port());
        deploy.config(old.config(), configs.runConfig(deploy.app(), old.config()));
        deploy.describe("rollback to " + old.label());
    }
}
