package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: the images octod builds are its own. They carry its instance and the app as labels, in
 * a namespace no app name reaches; retention and apps:destroy delete only those: never another
 * octod's on the same engine, never the base image.
 */
@Tag("docker")
class ImagesOfOneOctodTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    @Test
    void destroyingAnAppOnOneOctodLeavesTheSameAppOnAnotherOctodAlone() {
        // given the same app name pushed to two octods on one engine, the second started after the first deployed
        String mine = Content.unique("twin here");
        octohost.deployed("twin", mine);
        try (Octohost other = Octohost.builder().build()) {
            other.start();
            String theirs = Content.unique("twin there");
            other.deployed("twin", theirs);
            assertEquals(mine, octohost.get("twin").bodyText(), "the second fixture's start removed the first one's containers");
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
        octohost.deployed("busybox", Content.unique("busybox app"));
        assertEquals(base, Docker.imageId(Octohost.BASE_IMAGE), "the push replaced " + Octohost.BASE_IMAGE);
        octohost.octo(null, "apps:destroy", "busybox", "--confirm", "busybox").orFail();
        assertEquals(base, Docker.imageId(Octohost.BASE_IMAGE), "destroying the app deleted " + Octohost.BASE_IMAGE);

        // later builds still find their base
        octohost.deployed("after-busybox", Content.unique("after busybox"));
    }
}
