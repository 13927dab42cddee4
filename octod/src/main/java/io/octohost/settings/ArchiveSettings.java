package io.octohost.settings;

import io.octohost.app.UserError;
import io.octohost.source.DirSourceArchive;
import io.octohost.source.S3Location;
import io.octohost.source.S3SourceArchive;
import io.octohost.source.SourceArchive;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where each release's source archive is kept: the data dir, or an S3 bucket. Part of {@link Settings}. */
public final class ArchiveSettings {
    private static final String DIR = "dir";

    @Option(names = "--archive-store", defaultValue = "${env:OCTOD_ARCHIVE_STORE:-dir}", converter = Store.class,
            description = "Where each release's source archive is kept: dir (DATA/archives) or s3://BUCKET[/PREFIX]"
                    + " (OCTOD_ARCHIVE_STORE, default ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--archive-s3-endpoint", defaultValue = "${env:OCTOD_ARCHIVE_S3_ENDPOINT}", converter = Converters.ConsulUrl.class,
            description = "The S3 server, http(s)://HOST:PORT, addressed path-style; default AWS's endpoint of the region"
                    + " (OCTOD_ARCHIVE_S3_ENDPOINT, default none).")
    URI endpoint;

    @Option(names = "--archive-s3-region", defaultValue = "${env:OCTOD_ARCHIVE_S3_REGION:-us-east-1}",
            description = "The S3 region (OCTOD_ARCHIVE_S3_REGION, default ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--archive-s3-access-key-file", defaultValue = "${env:OCTOD_ARCHIVE_S3_ACCESS_KEY_FILE}",
            description = "A file holding the S3 access key id (OCTOD_ARCHIVE_S3_ACCESS_KEY_FILE, default none).")
    Path accessKeyFile;

    @Option(names = "--archive-s3-secret-key-file", defaultValue = "${env:OCTOD_ARCHIVE_S3_SECRET_KEY_FILE}",
            description = "A file holding the S3 secret key, readable by octod only (OCTOD_ARCHIVE_S3_SECRET_KEY_FILE, default none).")
    Path secretKeyFile;

    /** The archive store these settings name; an S3 one reads its keys from their files now. */
    public SourceArchive archive(Path dataDir) {
        if (store.equals(DIR)) {
            return new DirSourceArchive(dataDir.resolve("archives"));
        }
        if (accessKeyFile == null || secretKeyFile == null) {
            throw new UserError("--archive-store " + store + " needs --archive-s3-access-key-file and --archive-s3-secret-key-file");
        }
        AwsBasicCredentials keys = AwsBasicCredentials.create(read(accessKeyFile, "--archive-s3-access-key-file"),
                read(secretKeyFile, "--archive-s3-secret-key-file"));
        S3ClientBuilder client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(keys))
                // checksums only where S3 requires them: S3-compatible servers differ in the newer trailing ones
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            client.endpointOverride(endpoint).forcePathStyle(true);
        }
        return new S3SourceArchive(client.build(), S3Location.parse(store));
    }

    private static String read(Path file, String option) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new UserError(option + ": " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new UserError(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code dir} or {@code s3://bucket[/prefix]}. */
    static final class Store implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.strip();
            if (v.equals(DIR)) {
                return v;
            }
            try {
                return S3Location.parse(v).toString();
            } catch (UserError e) {
                throw new TypeConversionException(e.getMessage() + ": give dir or s3://BUCKET[/PREFIX]");
            }
        }
    }
}
