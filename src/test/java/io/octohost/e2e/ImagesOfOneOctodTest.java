package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: the images octod builds are its own. They carry its instance and the app as labels, in
 * a namespace no app name reaches; retention and apps:destroy delete only those: never another
 * octod's on the same engine, never the base image.
 */
class ImagesOfOneOctodTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void destroyingAnAppOnOneOctodLeavesTheSameAppOnAnotherOctodAlone() {
        try (Octohost other = Octohost.builder().build()) {
            other.start();
            // given the same app name pushed to two octods on one engine
            String mine = Content.unique("twin here");
            String theirs = Content.unique("twin there");
            pushed(octohost, "twin", mine);
            pushed(other, "twin", theirs);
            Set<String> theirImages = other.images("twin");
            String theirContainer = other.onlyContainer("twin");
            assertEquals(1, theirImages.size(), theirImages::toString);
            assertFalse(octohost.images("twin").isEmpty());

            // when one destroys it
            octohost.octo(null, "apps:destroy", "twin", "--confirm", "twin").orFail();

            // then its images are gone, and the other's image, container and app are untouched
            assertEquals(Set.of(), octohost.images("twin"));
            assertEquals(theirImages, other.images("twin"));
            assertEquals(theirContainer, other.onlyContainer("twin"));
            assertEquals(theirs, other.get("twin").bodyText());
            assertTrue(other.octo(null, "apps:info", "twin").orFail().output().contains("release: v1"));
        }
    }

    @Test
    void anAppNamedBusyboxLeavesTheBaseImageAlone() {
        String base = Docker.imageId(Octohost.BASE_IMAGE);

        // an app named like the base image, built from it, then destroyed
        pushed(octohost, "busybox", Content.unique("busybox app"));
        assertEquals(base, Docker.imageId(Octohost.BASE_IMAGE), "the push replaced " + Octohost.BASE_IMAGE);
        octohost.octo(null, "apps:destroy", "busybox", "--confirm", "busybox").orFail();
        assertEquals(base, Docker.imageId(Octohost.BASE_IMAGE), "destroying the app deleted " + Octohost.BASE_IMAGE);

        // later builds still find their base
        String page = Content.unique("after busybox");
        pushed(octohost, "after-busybox", page);
        assertEquals(page, octohost.get("after-busybox").bodyText());
    }

    private static void pushed(Octohost o, String app, String page) {
        AppRepo repo = o.app(app);
        repo.staticSite(page).commit("v1");
        PushResult push = repo.push("master");
        assertEquals(0, push.exitCode(), push::describe);
        assertEquals(page, o.get(app).bodyText());
    }
}
