package io.octohost.deploy;

import io.octohost.build.BuiltImage;
import io.octohost.registry.Registries;
import io.octohost.source.ImageRef;

import java.util.Optional;

/** An image source: pulled with its registry's credentials and run as it is, no build (so no commit). */
final class PullImage implements Step {
    private final ImageRef image;
    private final Registries registries;

    PullImage(ImageRef image, Registries registries) {
        this.image = image;
        this.registries = registries;
    }

    @Override
    public String timing() {
        return "pull";
    }

    @Override
    public void run(Deploy deploy) {
        try {
            BuiltImage pulled = registries.pull(image, deploy.progress(), deploy.control());
            deploy.image(Optional.empty(), pulled.id(), Optional.empty(), pulled.exposedPort());
        } finally {
            deploy.releaseSlot();
        }
    }
}
