package io.octohost.e2e.releases;

import com.fasterxml.jackson.databind.JsonNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Http;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, acceptance 3 and 4: rollback runs an earlier release's image with that release's config,
 * in seconds and without a build; retention keeps the images of the last 5 releases, and a release
 * whose image went cannot be rolled back to.
 */
@Tag("docker")
class RollbackAndRetentionTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    /** The app's page, plus /cgi-bin/env: the container's environment (docker-init is PID 1). */
    private static AppRepo site(AppRepo repo, String page) {
        repo.staticSite(page);
        repo.write("www/cgi-bin/env", "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\r\\n\\r\\n'\nexec cat /proc/1/environ\n");
        try {
            Files.setPosixFilePermissions(repo.dir().resolve("www/cgi-bin/env"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repo;
    }

    /** The container's environment as served by /cgi-bin/env. */
    private static Map<String, String> env(String app) {
        Http.Response r = octohost.get(app, "/cgi-bin/env");
        assertEquals(200, r.status(), r::toString);
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : new String(r.body(), StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        assertTrue(env.containsKey("PATH"), () -> "not an environment: " + r);
        return env;
    }

    private static Proc.Result octo(String... args) {
        return octohost.octo(null, args);
    }


    @Test
    void rollbackRunsThePreviousReleaseWithItsConfigInSecondsWithoutABuild() {
        String app = "rel-rb";
        AppRepo repo = octohost.app(app);
        String a = Content.unique("rollback A");
        String shaA = site(repo, a).deploy("master", a); // v1: A
        octo("config:set", app, "COLOR=red").orFail(); // v2: A, red
        octo("config:set", "--no-restart", app, "COLOR=blue").orFail(); // stored: joins the next release
        String b = Content.unique("rollback B");
        String shaB = site(repo, b).deploy("master", b); // v3: B, blue
        assertEquals("blue", env(app).get("COLOR"));

        // when: rollback (to the release before the current one)
        long t0 = System.nanoTime();
        Proc.Result rollback = octo("rollback", app);
        double seconds = (System.nanoTime() - t0) / 1e9;

        // then: v2's image and config run as v4, in seconds, without a build
        rollback.orFail();
        assertTrue(seconds < 10, "rollback took " + seconds + " s:\n" + rollback.describe());
        assertFalse(rollback.output().contains("Step 1/"), () -> "rollback built an image:\n" + rollback.describe());
        assertFalse(rollback.output().contains("Building"), rollback::describe);
        assertTrue(rollback.output().contains("v2"), rollback::describe);
        assertEquals(a, octohost.served(app), "the previous content is served when rollback returns");
        assertEquals("red", env(app).get("COLOR"), "the release's own config, not the current one");
        assertEquals("red", octo("config:get", app, "COLOR").orFail().trimmed(), "the rolled-back config is the app's config now");
        String c = octohost.awaitOnlyContainer(app);
        assertEquals("4", Docker.label(c, "octohost.release"));
        assertEquals(shaA, Docker.label(c, "octohost.commit"));
        // the branch still shows what was last pushed
        assertEquals(shaB, repo.remoteRefs().get("refs/heads/master"));

        // releases lists all four, newest first, the current one marked
        List<JsonNode> releases = octohost.releases(app);
        assertEquals(List.of("v4", "v3", "v2", "v1"), releases.stream().map(r -> r.path("release").asText()).toList());
        assertEquals(List.of(true, false, false, false), releases.stream().map(r -> r.path("current").asBoolean()).toList());
        assertEquals(List.of(shaA, shaB, shaA, shaA), releases.stream().map(r -> r.path("commit").asText()).toList());
        assertTrue(releases.get(0).path("description").asText().contains("rollback to v2"), releases::toString);

        // rolling back to an explicit release: v3 (B, blue) again
        octo("rollback", app, "v3").orFail();
        assertEquals(b, octohost.served(app));
        assertEquals("blue", env(app).get("COLOR"));

        // a release that does not exist: a clear error
        Proc.Result none = octo("rollback", app, "v42");
        assertNotEquals(0, none.exitCode(), none::describe);
        assertTrue(none.output().contains("no release v42"), none::describe);
        assertEquals(b, octohost.served(app));
    }

    @Test
    void afterEightDeploysOnlyTheLastFiveImagesExistAndAnOlderReleaseCannotBeRolledBackTo() {
        String app = "rel-keep";
        AppRepo repo = octohost.app(app);
        List<String> pages = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String page = Content.unique("keep v" + i);
            pages.add(page);
            repo.staticSite(page).deploy("master", page);
            images.add(Docker.label(octohost.awaitOnlyContainer(app), "octohost.release") + " "
                    + imageOf(octohost.onlyContainer(app)));
        }
        // the image ids of v4..v8 stay, those of v1..v3 are gone
        Set<String> left = octohost.images(app);
        assertEquals(5, left.size(), () -> "images of " + app + ": " + left + "\nreleases: " + images);
        for (int i = 0; i < 8; i++) {
            String id = images.get(i).split(" ")[1];
            assertEquals(i >= 3, left.contains(id), "image of v" + (i + 1) + " (" + id + ") in " + left);
        }

        // releases marks v1..v3 as impossible to roll back to
        List<JsonNode> releases = octohost.releases(app);
        assertEquals(8, releases.size(), releases::toString);
        for (JsonNode release : releases) {
            int n = Integer.parseInt(release.path("release").asText().substring(1));
            assertEquals(n == 8, release.path("current").asBoolean(), release::toString);
            assertEquals(n >= 4 && n < 8, release.path("rollback").asBoolean(), release::toString);
        }

        // rolling back to v3, whose image went: a clear error, nothing changes
        Proc.Result refused = octo("rollback", app, "v3");
        assertNotEquals(0, refused.exitCode(), refused::describe);
        assertTrue(refused.output().contains("v3") && refused.output().contains("image was deleted"), refused::describe);
        assertEquals(pages.get(7), octohost.served(app));
        assertEquals(8, octohost.releases(app).size());

        // v4 still can: its image runs again as v9, and still only 5 images are kept
        octo("rollback", app, "v4").orFail();
        assertEquals(pages.get(3), octohost.served(app));
        assertEquals(5, octohost.images(app).size(), () -> "after rollback: " + octohost.images(app));
    }

    @Test
    void aDeployThatFailsItsHealthCheckLeavesNoImageBehind() {
        String app = "rel-keep-fail";
        AppRepo repo = octohost.app(app);
        String page1 = Content.unique("keep-fail v1");
        repo.staticSite(page1).write("www/health", "ok\n").deploy("master", page1);
        octo("config:set", app, "HEALTHCHECK_PATH=/health", "HEALTHCHECK_ATTEMPTS=1").orFail();
        String image1 = imageOf(octohost.awaitOnlyContainer(app));

        for (int i = 2; i <= 3; i++) {
            repo.staticSite(Content.unique("keep-fail v" + i)).delete("www/health").commit("v" + i + " without /health");
            PushResult rejected = repo.push("master");
            assertNotEquals(0, rejected.exitCode(), rejected::describe);
        }

        // images are kept for releases; the images of rejected deploys are no release's and go
        assertEquals(Set.of(image1), octohost.images(app));
        assertEquals(page1, octohost.served(app));
    }

    @Test
    void retentionInOneAppLeavesAnotherAppsImageOfTheSameTreeAlone() {
        // the same tree built for two apps (an app and its branch app, say): each app's image is its own
        // (labelled with the app), though Docker's build cache shares their layers
        String same = Content.unique("twin");
        AppRepo a = octohost.app("rel-twin-a");
        AppRepo b = octohost.app("rel-twin-b");
        a.staticSite(same).deploy("master", same);
        b.staticSite(same).deploy("master", same);
        String bFirst = imageOf(octohost.awaitOnlyContainer("rel-twin-b"));
        assertNotEquals(bFirst, imageOf(octohost.awaitOnlyContainer("rel-twin-a")), "one image for two apps");
        // b moves on: its v1 is now what b can roll back to
        String b2 = Content.unique("twin b v2");
        b.staticSite(b2).deploy("master", b2);

        // when a's first release leaves a's last 5
        for (int i = 2; i <= 6; i++) {
            String page = Content.unique("twin a v" + i);
            a.staticSite(page).deploy("master", page);
        }
        assertEquals(5, octohost.images("rel-twin-a").size());

        // then b's v1 still has its image, and b can roll back to it
        assertEquals(Set.of(bFirst, imageOf(octohost.awaitOnlyContainer("rel-twin-b"))), octohost.images("rel-twin-b"), "b's images");
        Proc.Result rollback = octo("rollback", "rel-twin-b", "v1");
        assertEquals(0, rollback.exitCode(), rollback::describe);
        assertEquals(same, octohost.served("rel-twin-b"));
    }

    @Test
    void aBuildIsRefusedWhenFreeSpaceIsBelowMinFreeSpace() {
        try (Octohost full = Octohost.builder().extraArgs("--min-free-space", "1000000G").build()) {
            full.start();
            AppRepo repo = full.app("rel-disk");
            repo.staticSite(Content.unique("disk")).commit("v1");
            PushResult push = repo.push("master");
            assertNotEquals(0, push.exitCode(), push::describe);
            assertTrue(push.output().contains("--min-free-space"), push::describe);
            assertTrue(push.output().contains("GiB free on"), push::describe);
            assertFalse(push.output().contains("Step 1/"), () -> "it built anyway:\n" + push.describe());
            assertTrue(full.containers("rel-disk").isEmpty());
        }
    }

    private static String imageOf(String container) {
        return Proc.of("docker", "inspect", "-f", "{{.Image}}", container).run().orFail().trimmed();
    }
}
