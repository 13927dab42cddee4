package io.octohost.build;

import io.octohost.app.AppName;
import io.octohost.app.Commit;
import io.octohost.deploy.Progress;

/** Builds an app's image from its Dockerfile, streaming the build output as it comes. */
public interface ImageBuilder {
    /** @throws io.octohost.app.UserError when the Dockerfile fails, with the build's error */
    BuiltImage build(AppName app, Commit commit, BuildContext context, Progress progress);

    /** Deletes every image of the app. */
    void removeImages(AppName app);

    /** Deletes one image (all its tags), unless a container still uses it. */
    void removeImage(String imageId);

    boolean exists(String imageId);

    /** Deletes the untagged layers failed builds leave behind. */
    void pruneDangling();

    /** The repository images of an app are tagged in: {@code octohost/APP}. */
    static String repository(AppName app) {
        return "octohost/" + app;
    }
}
