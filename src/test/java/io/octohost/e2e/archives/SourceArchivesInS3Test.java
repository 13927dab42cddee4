package io.octohost.e2e.archives;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source archive scenarios with {@code --archive-store s3://BUCKET/PREFIX} against a real S3 server
 * (SeaweedFS, {@code scripts/seaweedfs}); the objects are looked at through the AWS SDK's own client.
 * The secret key is a planted one: it must appear in no octod log and not on octod's command line.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceArchivesInS3Test extends SourceArchiveScenarios {
    private static final String BUCKET = "octohost-sources";
    private static final String PREFIX = "e2e/run1";
    private static final String SECRET = Secrets.planted("s3");

    @RegisterExtension
    @Order(1)
    static final SeaweedFs s3 = SeaweedFs.start("octo-e2e-access", SECRET);

    @RegisterExtension
    @Order(2)
    static final Octohost octohost = withBucket();

    private static Octohost withBucket() {
        s3.createBucket(BUCKET);
        return Octohost.builder().extraArgs("--keep-releases", KEEP_TWO, "--archive-store", "s3://" + BUCKET + "/" + PREFIX,
                "--archive-s3-endpoint", s3.endpoint().toString(), "--archive-s3-access-key-file", s3.accessKeyFile().toString(),
                "--archive-s3-secret-key-file", s3.secretKeyFile().toString()).build();
    }

    @Override
    Octohost octohost() {
        return octohost;
    }

    @Override
    String store() {
        return "s3";
    }

    /** The objects under PREFIX/APP/, listed over S3; nothing else is there. */
    @Override
    Set<Integer> stored(String app) {
        String prefix = PREFIX + "/" + app + "/";
        Set<Integer> numbers = new TreeSet<>();
        for (String key : s3.keys(BUCKET, prefix)) {
            String name = key.substring(prefix.length());
            assertTrue(name.matches("v[0-9]+\\.tar\\.gz"), () -> "not an archive: " + key);
            numbers.add(Integer.parseInt(name.substring(1, name.indexOf('.'))));
        }
        assertFalse(Files.exists(octohost.dataDir().resolve("archives")), "an S3 store writes nothing to the data dir");
        return numbers;
    }

    @Override
    byte[] storedBytes(String app, int release) {
        return s3.object(BUCKET, PREFIX + "/" + app + "/v" + release + ".tar.gz");
    }

    /** Last, as it stops the S3 server: a deploy that cannot store its source fails whole, and the running release keeps serving. */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenS3IsDownAPushFailsSayingWhyAndTheRunningReleaseKeepsServing() throws IOException {
        String app = appName("outage");
        AppRepo repo = octohost.deployed(app, "before the outage\n");
        s3.stop();

        repo.staticSite("during the outage\n").commit("during the outage");
        PushResult push = repo.push("master");

        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("could not store s3://" + BUCKET + "/" + PREFIX + "/" + app + "/v2.tar.gz: "), push::describe);
        assertEquals("before the outage\n", octohost.get(app).bodyText());
        assertEquals(List.of("v1"), octohost.releases(app).stream().map(r -> r.path("release").asText()).toList());
        assertFalse(Files.readString(octohost.octodLog(), StandardCharsets.UTF_8).contains(SECRET), "the S3 secret key is in octod's log");
    }

    @Test
    void theSecretKeyIsReadFromItsFileAndIsNeitherLoggedNorOnTheCommandLine() throws IOException {
        // given a deploy that stored its archive with the key
        String app = appName("secret");
        octohost.deployed(app, "secret page\n");
        assertEquals(Set.of(1), stored(app));

        String log = Files.readString(octohost.octodLog(), StandardCharsets.UTF_8);
        assertFalse(log.contains(SECRET), "the S3 secret key is in octod's log");
        assertFalse(log.contains(Secrets.PLANTED), "a planted secret is in octod's log");
        String commandLine = octohost.octodProcess().info().commandLine().orElse("");
        assertTrue(commandLine.contains("--archive-s3-secret-key-file"), commandLine);
        assertFalse(commandLine.contains(SECRET), "the S3 secret key is on octod's command line");
    }
}
