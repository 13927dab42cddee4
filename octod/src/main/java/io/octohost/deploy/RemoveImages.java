package io.octohost.deploy;

import io.octohost.build.ImageBuilder;

/** Deletes every image this octod built for the app (and no other image). */
final class RemoveImages implements Step {
    private final ImageBuilder images;

    RemoveImages(ImageBuilder images) {
        this.images = images;
    }

    @Override
    public void run(Deploy deploy) {
        images.removeImages(deploy.app());
    }
}
