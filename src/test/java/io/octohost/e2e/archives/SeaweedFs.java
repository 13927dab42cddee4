package io.octohost.e2e.archives;

import io.octohost.e2e.Proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for the scenarios: SeaweedFS (master, volume, filer and S3 gateway) started by
 * {@code scripts/seaweedfs start DIR} on free loopback ports, with a key pair the test chose (its
 * secret a planted one, so the suite's log check catches a leak), and an SDK client to look into it.
 * Started when made (octod's flags need its endpoint); register it as an extension so that it stops
 * after the class. No skipping: when it cannot be built or started, the test fails with the reason.
 */
final class SeaweedFs implements AfterAllCallback {
    private final Path script;
    private final Path dir;
    private final URI endpoint;
    private final S3Client client;

    private SeaweedFs(Path script, Path dir, URI endpoint, S3Client client) {
        this.script = script;
        this.dir = dir;
        this.endpoint = endpoint;
        this.client = client;
    }

    /** Starts a server whose identity is {@code access} / {@code secret} (the first start builds SeaweedFS: minutes). */
    static SeaweedFs start(String access, String secret) {
        try {
            Path script = Path.of(System.getProperty("octohost.root")).resolve("scripts/seaweedfs").toAbsolutePath().normalize();
            Path dir = Files.createTempDirectory("octohost-seaweedfs-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(dir.resolve("access-key"), access, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("secret-key"), secret, StandardCharsets.UTF_8);
            Proc.Result started = Proc.of(script.toString(), "start", dir.toString()).timeout(Duration.ofMinutes(20)).run();
            String endpoint = started.output().lines().filter(l -> l.startsWith("http://")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("scripts/seaweedfs start gave no endpoint:\n" + started.describe()));
            S3Client client = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
                    .endpointOverride(URI.create(endpoint)).forcePathStyle(true).build();
            return new SeaweedFs(script, dir, URI.create(endpoint), client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    /** The files holding the key pair, as octod reads them. */
    Path accessKeyFile() {
        return dir.resolve("access-key");
    }

    Path secretKeyFile() {
        return dir.resolve("secret-key");
    }

    /** A new bucket, made through the S3 API. */
    void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    /** The keys of the objects in the bucket under the prefix, listed through the S3 API. */
    Set<String> keys(String bucket, String prefix) {
        Set<String> keys = new TreeSet<>();
        client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).forEach(keys::add);
        return keys;
    }

    byte[] object(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** Stops the server (an outage); stopping it again does nothing. */
    void stop() {
        Proc.of(List.of(script.toString(), "stop", dir.toString())).timeout(Duration.ofSeconds(60)).run().orFail();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        stop();
    }
}
