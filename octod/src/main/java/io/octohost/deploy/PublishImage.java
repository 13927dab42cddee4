package io.octohost.deploy;

import io.octohost.registry.ImagePublisher;

/** Pushes the release's image to the registry (--registry) as {@code REGISTRY/APP:vN}. */
final class PublishImage implements Step {
    private final ImagePublisher publisher;

    PublishImage(ImagePublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public String timing() {
        return publisher == ImagePublisher.NONE ? null : "publish";
    }

    @Override
    public void run(Deploy deploy) {
        publisher.publish(deploy.app(), deploy.imageId(), deploy.release().label(), deploy.progress());
    }
}
