package io.octohost.deploy;

import io.octohost.registry.Registries;
import io.octohost.source.ImageRef;

/** Pushes the image to the build's destination (seed 004's {@code destination}), with its credentials. */
final class PushImage implements Step {
    private final ImageRef destination;
    private final Registries registries;

    PushImage(ImageRef destination, Registries registries) {
        this.destination = destination;
        this.registries = registries;
    }

    @Override
    public String timing() {
        return "push";
    }

    @Override
    public void run(Deploy deploy) {
        registries.push(deploy.imageId(), destination, deploy.progress(), deploy.control());
    }
}
