package io.octohost.registry;

import io.octohost.app.BuildControl;
import io.octohost.app.Progress;
import io.octohost.build.BuiltImage;
import io.octohost.source.ImageRef;

/**
 * Pulls images from registries and pushes them there, with each image reference's own credentials
 * (seed 004's {@code docker://user:pass@host/repo:tag}); they go to the engine, never to a log.
 */
public interface Registries {
    /** @throws io.octohost.app.UserError when the registry refuses or has no such image */
    BuiltImage pull(ImageRef image, Progress progress, BuildControl control);

    /**
     * Returns where the registry has the image now, {@code host/repo:tag@sha256:...} (the digest
     * pins it: a tag can be pushed again).
     * @throws io.octohost.app.UserError when the registry refuses the push
     */
    String push(String imageId, ImageRef to, Progress progress, BuildControl control);
}
