package io.octohost.deploy;

import io.octohost.app.Release;
import io.octohost.state.Releases;

/** Runs the image of the app's current release again (a config change, a scale, a restart): no build. */
final class CurrentImage implements Step {
    private final Releases releases;

    CurrentImage(Releases releases) {
        this.releases = releases;
    }

    @Override
    public void run(Deploy deploy) {
        Release now = releases.current(deploy.app()).orElseThrow();
        deploy.image(now.commit(), now.imageId(), now.published(), now.port());
        deploy.processes(now.processes());
    }
}
