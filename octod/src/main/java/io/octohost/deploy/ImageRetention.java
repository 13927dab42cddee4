package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Release;
import io.octohost.build.ImageBuilder;
import io.octohost.state.Releases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of an app's images stay: those of its last --keep-releases releases. The images of deploys
 * that failed after their build, or that a crash interrupted, are no release's and go.
 */
final class ImageRetention {
    private static final Logger log = LoggerFactory.getLogger(ImageRetention.class);
    private final ImageBuilder images;
    private final Releases releases;
    private final int keepReleases;

    ImageRetention(ImageBuilder images, Releases releases, int keepReleases) {
        this.images = images;
        this.releases = releases;
        this.keepReleases = keepReleases;
    }

    /** Keeps the images of the last releases and deletes the older ones. */
    void retain(AppName app) {
        List<Release> all = releases.list(app);
        Set<String> kept = new TreeSet<>();
        for (int i = Math.max(0, all.size() - keepReleases); i < all.size(); i++) {
            kept.add(all.get(i).imageId());
        }
        Set<String> old = new TreeSet<>();
        all.forEach(r -> old.add(r.imageId()));
        old.removeAll(kept);
        old.forEach(image -> images.removeImage(app, image));
    }

    /** The image of a deploy that failed goes, unless a release runs the same image (the same tree built again). */
    void discardUnreleased(AppName app, String imageId) {
        try {
            if (releases.list(app).stream().noneMatch(r -> r.imageId().equals(imageId))) {
                images.removeImage(app, imageId);
            }
        } catch (RuntimeException e) {
            log.warn("could not remove the image {} of a failed deploy of {}: {}", imageId, app, e.getMessage());
        }
    }

    /**
     * Deletes the app's images that no release runs: those of deploys interrupted after their build
     * (octod killed during a health check or a switch). The caller holds the app's lock, so no deploy
     * of the app is between its build and its release. Release ids may be short ids.
     */
    void removeUnreleased(AppName app) {
        try {
            List<String> released = releases.list(app).stream().map(r -> r.imageId().replaceFirst("^sha256:", "")).toList();
            for (String image : images.images(app)) {
                String id = image.replaceFirst("^sha256:", "");
                if (released.stream().noneMatch(r -> id.startsWith(r) || r.startsWith(id))) {
                    log.info("removing image {} of {}: no release runs it", id.substring(0, Math.min(12, id.length())), app);
                    images.removeImage(app, image);
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not remove the unreleased images of {}: {}", app, e.getMessage());
        }
    }
}
