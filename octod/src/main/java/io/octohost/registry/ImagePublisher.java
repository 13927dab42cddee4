package io.octohost.registry;

import io.octohost.app.AppName;
import io.octohost.app.Progress;

/** Publishes a release's image to a private registry, so other hosts (or a rebuild of this one) can pull it. */
public interface ImagePublisher {
    /** @throws io.octohost.app.UserError when the registry refuses or cannot be reached */
    void publish(AppName app, String imageId, String releaseLabel, Progress progress);

    /** No registry configured: nothing to publish. */
    ImagePublisher NONE = (app, imageId, releaseLabel, progress) -> { };
}
