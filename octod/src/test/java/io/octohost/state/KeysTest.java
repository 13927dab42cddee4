package io.octohost.state;

import io.octohost.app.UserError;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** keys:add (issue 12, finding 7): options octod does not enforce, DSA and short RSA keys are refused; nothing is stored then. */
class KeysTest {
    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    @TempDir
    Path dir;

    private static String line(String algorithm, int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        PublicKey key = generator.generateKeyPair().getPublic();
        return PublicKeyEntry.toString(key) + " someone@somewhere";
    }

    private Keys keys() {
        return new Keys(new FileStateStore(dir));
    }

    private void assertRefused(String line, String message) {
        Keys keys = keys();
        UserError e = assertThrows(UserError.class, () -> keys.add("k", Role.DEPLOY, java.util.Set.of(), line));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals(0, keys.list().size(), "nothing is stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command=\"/bin/echo hi\"", "from=\"10.0.0.1\"", "environment=\"A=b\"", "permitopen=\"x:1\"",
        "no-pty,command=\"x\"", "expiry-time=\"20300101\""})
    void optionsOctodDoesNotEnforceAreRefused(String options) {
        assertRefused(options + " " + ED25519, "the key has the option '");
    }

    @Test
    void optionsThatSayWhatOctodDoesAnywayAreTaken() {
        Keys keys = keys();
        Keys.Key key = keys.add("k", Role.DEPLOY, java.util.Set.of(), "restrict,no-pty,no-port-forwarding " + ED25519 + " me");
        assertEquals(ED25519, key.publicKey(), "stored as TYPE BASE64, nothing else");
    }

    @Test
    void aDeployKeyKeepsItsAppLimitAndAnAdminKeyTakesNone() {
        Keys keys = keys();
        keys.add("ci", Role.DEPLOY, java.util.Set.of(io.octohost.app.AppName.of("shop"), io.octohost.app.AppName.of("blog")), ED25519);
        Keys.Key read = keys.list().get(0);
        assertEquals(java.util.Set.of(io.octohost.app.AppName.of("blog"), io.octohost.app.AppName.of("shop")), read.apps());
        assertEquals(Role.DEPLOY, read.role());
        UserError e = assertThrows(UserError.class, () -> keys().add("root", Role.ADMIN, java.util.Set.of(io.octohost.app.AppName.of("shop")),
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO6PfQsY4PQGWjOevQciz8OH6c59X70Ych8m0T453FoM"));
        assertEquals("--app limits deploy keys and tokens only: an admin may touch every app", e.getMessage());
        assertEquals(1, keys.list().size(), "nothing is stored");
    }

    @Test
    void dsaAndShortRsaKeysAreRefused() throws Exception {
        assertRefused(line("DSA", 1024), "DSA keys (ssh-dss) are refused");
        assertRefused(line("RSA", 1024), "RSA keys of 1024 bits are refused: use at least 2048 bits");
        assertRefused(line("RSA", 2040), "RSA keys of 2040 bits are refused");
        keys().add("rsa", Role.ADMIN, java.util.Set.of(), line("RSA", 2048));
    }
}
