package io.octohost.build;

import io.octohost.app.AppName;
import io.octohost.app.Commit;
import io.octohost.deploy.Progress;

/** Builds an app's image from its Dockerfile, streaming the build output as it comes. */
public interface ImageBuilder {
    /** @throws io.octohost.app.UserError when the Dockerfile fails, with the build's error */
    BuiltImage build(AppName app, Commit commit, BuildContext context, Progress progress);

    /**
     * Deletes the app's tags of every image, and each image that no other repository's tag keeps. One
     * image can be several apps' (the same tree built twice is one image, from Docker's build cache).
     */
    void removeImages(AppName app);

    /**
     * Deletes the app's tags of one image, and the image once no other repository's tag keeps it,
     * unless a container still uses it.
     */
    void removeImage(AppName app, String imageId);

    boolean exists(String imageId);

    /** The ids of the images tagged in the app's repository. */
    java.util.List<String> images(AppName app);

    /** Deletes the untagged layers failed builds leave behind. */
    void pruneDangling();

    /** The repository images of an app are tagged in: {@code octohost/APP}. */
    static String repository(AppName app) {
        return "octohost/" + app;
    }
}
