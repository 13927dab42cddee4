package io.octohost.source;

import io.octohost.app.Credentials;
import io.octohost.app.UserError;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 004's source.url and destination: typed values, credentials kept apart and never shown. */
class SourceTest {
    @Test
    void aTarballUrlKeepsItsCredentialsApart() {
        Source.Tarball t = (Source.Tarball) Source.parse("https://bob:s3cr%40t@example.com:8443/src/app.tar.gz?x=1");
        assertEquals(URI.create("https://example.com:8443/src/app.tar.gz?x=1"), t.url());
        assertEquals(Optional.of(new Credentials("bob", "s3cr@t")), t.credentials());
        assertEquals("Basic Ym9iOnMzY3JAdA==", t.credentials().get().basicAuthorization());
        assertFalse(t.toString().contains("s3cr"), t.toString());
        assertEquals("https://example.com:8443/src/app.tar.gz?x=1", t.describe());
    }

    @Test
    void anImageSourceAndADestinationAreDockerReferences() {
        Source.Image i = (Source.Image) Source.parse("docker://user:pass@example.com/org/repo:tag");
        assertEquals("example.com/org/repo:tag", i.image().reference());
        assertEquals(Optional.of(new Credentials("user", "pass")), i.image().credentials());
        assertFalse(i.toString().contains("pass"), i.toString());
        ImageRef local = ImageRef.parse("docker://localhost:5000/hello");
        assertEquals("localhost:5000/hello:latest", local.reference());
        assertEquals(Optional.empty(), local.credentials());
        String digest = "sha256:" + "a".repeat(64);
        assertEquals("r.io/x@" + digest, ImageRef.parse("docker://r.io/x@" + digest).reference());
    }

    @Test
    void aGitUrlNamesARefAfterTheHash() {
        Source.Git g = (Source.Git) Source.parse("git+https://tok@git.example.com/team/app.git#release/1.2");
        assertEquals(URI.create("https://git.example.com/team/app.git"), g.repository());
        assertEquals("release/1.2", g.ref());
        assertEquals(Optional.of(new Credentials("tok", "")), g.credentials());
        assertEquals("git+https://git.example.com/team/app.git#release/1.2", g.describe());
        Source.Git file = (Source.Git) Source.parse("git+file:///srv/git/app.git#0123abc");
        assertEquals(URI.create("file:///srv/git/app.git"), file.repository());
        assertEquals("0123abc", file.ref());
        assertEquals("HEAD", ((Source.Git) Source.parse("git+file:///srv/git/app.git")).ref());
    }

    @Test
    void anythingElseIsRefusedWithoutRepeatingCredentials() {
        for (String bad : new String[] {"ftp://u:pw@x/y.tgz", "docker://u:pw@x", "git+ssh://u:pw@x/y#main", "", "not a url",
                "git+https://x/y#../etc", "https://u:pw@/nohost", "docker://x/UPPER:tag"}) {
            UserError e = assertThrows(UserError.class, () -> Source.parse(bad), bad);
            assertFalse(e.getMessage().contains(":pw@"), e.getMessage());
        }
        assertTrue(assertThrows(UserError.class, () -> ImageRef.parse("https://x/y")).getMessage().contains("docker://"));
    }

    @Test
    void credentialsAreMaskedInAnyText() {
        assertEquals("see https://***@example.com/x and kafka://h:1/t", Credentials.redact("see https://u:p@ss@example.com/x and kafka://h:1/t"));
        assertEquals("Credentials[***]", new Credentials("u", "p").toString());
    }
}
