package io.octohost.registry;

import io.octohost.app.AppName;
import io.octohost.app.Progress;

import java.util.Optional;

/** Publishes a release's image to a private registry, so other hosts (or a rebuild of this one) can pull it. */
public interface ImagePublisher {
    /**
     * Returns where the registry has the image now, {@code REGISTRY/APP:vN@sha256:...}; empty when
     * nothing was pushed.
     * @throws io.octohost.app.UserError when the registry refuses or cannot be reached
     */
    Optional<String> publish(AppName app, String imageId, String releaseLabel, Progress progress);

    /** No registry configured: nothing to publish. */
    ImagePublisher NONE = (app, imageId, releaseLabel, progress) -> Optional.empty();
}
