package io.octohost.source;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The archives as objects in an S3 bucket, through the AWS SDK's client (made by the settings, with
 * its endpoint and credentials). An upload is one PUT of a whole file, so a reader sees all of an
 * archive or none. A failure is a {@code UserError} naming the object, never the credentials.
 */
public final class S3SourceArchive implements SourceArchive {
    private final S3Client s3;
    private final S3Location location;

    public S3SourceArchive(S3Client s3, S3Location location) {
        this.s3 = s3;
        this.location = location;
    }

    @Override
    public void put(AppName app, int release, Content content) {
        String key = location.key(app, release);
        Path tmp = null;
        try {
            // spooled to a private temporary file: S3 wants the length before the bytes
            tmp = Files.createTempFile("octod-archive-", ".tar.gz");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            s3.putObject(b -> b.bucket(location.bucket()).key(key).contentType("application/gzip"), RequestBody.fromFile(tmp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SdkException e) {
            throw failed("store", key, e);
        } finally {
            if (tmp != null) {
                tmp.toFile().delete();
            }
        }
    }

    @Override
    public Optional<InputStream> open(AppName app, int release) {
        String key = location.key(app, release);
        try {
            return Optional.of(s3.getObject(b -> b.bucket(location.bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failed("read", key, e);
        }
    }

    @Override
    public SortedSet<Integer> releases(AppName app) {
        String prefix = location.appPrefix(app);
        SortedSet<Integer> numbers = new TreeSet<>();
        try {
            s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(prefix)).contents().stream()
                    .map(S3Object::key).map(k -> k.substring(prefix.length()))
                    .forEach(name -> SourceArchive.release(name).ifPresent(numbers::add));
        } catch (SdkException e) {
            throw failed("list", prefix, e);
        }
        return numbers;
    }

    @Override
    public void delete(AppName app, int release) {
        String key = location.key(app, release);
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(key));
        } catch (SdkException e) {
            throw failed("delete", key, e);
        }
    }

    @Override
    public String describe() {
        return location.toString();
    }

    private UserError failed(String what, String key, SdkException e) {
        String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return new UserError("could not " + what + " s3://" + location.bucket() + "/" + key + ": " + reason);
    }
}
