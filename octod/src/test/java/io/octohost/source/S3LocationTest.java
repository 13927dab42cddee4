package io.octohost.source;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class S3LocationTest {
    private static final AppName HELLO = AppName.of("hello");

    @Test
    void aBucketAloneKeepsArchivesUnderTheAppName() {
        S3Location at = S3Location.parse("s3://octo-archives");
        assertEquals(new S3Location("octo-archives", ""), at);
        assertEquals("hello/v3.tar.gz", at.key(HELLO, 3));
        assertEquals("s3://octo-archives", at.toString());
    }

    @Test
    void aPrefixGoesBeforeTheAppNameAndTrailingSlashesAreDropped() {
        S3Location at = S3Location.parse("s3://octo.archives/prod/eu-1//");
        assertEquals(new S3Location("octo.archives", "prod/eu-1"), at);
        assertEquals("prod/eu-1/hello/", at.appPrefix(HELLO));
        assertEquals("prod/eu-1/hello/v12.tar.gz", at.key(HELLO, 12));
        assertEquals("s3://octo.archives/prod/eu-1", at.toString());
    }

    @Test
    void otherSchemesBadBucketsAndBadPrefixesAreRefusedSayingWhy() {
        assertEquals("'http://b/x' is not s3://bucket[/prefix]",
                assertThrows(UserError.class, () -> S3Location.parse("http://b/x")).getMessage());
        assertThrows(UserError.class, () -> S3Location.parse("s3://"));
        assertThrows(UserError.class, () -> S3Location.parse("s3://Upper"));
        assertThrows(UserError.class, () -> S3Location.parse("s3://ab"));
        assertThrows(UserError.class, () -> S3Location.parse("s3://bucket/a//b"));
        assertThrows(UserError.class, () -> S3Location.parse("s3://bucket/../etc"));
        assertThrows(UserError.class, () -> S3Location.parse("s3://bucket/a b"));
    }

    @Test
    void archiveNamesAreReadBackAsReleaseNumbersAndNothingElseIs() {
        assertEquals(Optional.of(7), SourceArchive.release(SourceArchive.fileName(7)));
        assertEquals(Optional.empty(), SourceArchive.release("v0.tar.gz"));
        assertEquals(Optional.empty(), SourceArchive.release(".v7-123.tmp"));
        assertEquals(Optional.empty(), SourceArchive.release("v7.tar.gz.part"));
    }
}
