package io.octohost.build;

import io.octohost.app.AppName;
import io.octohost.app.BuildControl;
import io.octohost.app.BuildSpec;
import io.octohost.app.Progress;
import io.octohost.app.SourceTree;

import java.util.List;
import java.util.Map;

/**
 * Builds an app's image from its Dockerfile, streaming the build output as it comes, and deletes
 * the images it built. It only ever deletes images that carry this octod's instance label and the
 * app's label: base images and other octods' images are never touched.
 */
public interface ImageBuilder {
    /**
     * Builds the tree's Dockerfile as the spec says (path, target, extra tag) with these build args;
     * a stop of the build ends the docker build at once.
     * @throws io.octohost.app.UserError when the Dockerfile fails, with the build's error
     * @throws io.octohost.app.Stopped when the build was stopped
     */
    BuiltImage build(AppName app, SourceTree tree, BuildSpec spec, Map<String, String> buildArgs, Progress progress, BuildControl control);

    /** Deletes every image of the app, even one that stopped containers use. */
    void removeImages(AppName app);

    /** Deletes one image of the app, unless a container still uses it. */
    void removeImage(AppName app, String imageId);

    boolean exists(String imageId);

    /** The ids of the app's images. */
    List<String> images(AppName app);

    /**
     * Deletes the untagged layers a failed build of the app left behind: only the app's, labelled with
     * this octod's instance, so that no build of another app or of another octod on the engine loses
     * its intermediate images while it runs.
     */
    void pruneDangling(AppName app);
}
