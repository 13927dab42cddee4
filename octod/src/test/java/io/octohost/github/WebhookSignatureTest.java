package io.octohost.github;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignatureTest {
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    /** GitHub's own example ("Validating webhook deliveries"). */
    private static final String GITHUBS = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void signsAsGithubDoes() {
        assertEquals(GITHUBS, WebhookSignature.sign(SECRET, BODY));
        assertTrue(WebhookSignature.verify(SECRET, BODY, GITHUBS));
        assertTrue(WebhookSignature.verify(SECRET, BODY, GITHUBS.toUpperCase().replace("SHA256=", "sha256=")), "hex in either case");
    }

    @Test
    void refusesAnotherSecretABodyChangedByOneByteAndMissingOrMalformedHeaders() {
        assertFalse(WebhookSignature.verify("It's a secret to everybody", BODY, GITHUBS));
        byte[] changed = BODY.clone();
        changed[changed.length - 1] ^= 1;
        assertFalse(WebhookSignature.verify(SECRET, changed, GITHUBS));
        assertFalse(WebhookSignature.verify(SECRET, BODY, null));
        assertFalse(WebhookSignature.verify(SECRET, BODY, ""));
        assertFalse(WebhookSignature.verify(SECRET, BODY, GITHUBS.substring("sha256=".length())), "no sha256= prefix");
        assertFalse(WebhookSignature.verify(SECRET, BODY, "sha1=" + GITHUBS.substring("sha256=".length())));
        assertFalse(WebhookSignature.verify(SECRET, BODY, "sha256=zz" + GITHUBS.substring(9)), "not hex");
        assertFalse(WebhookSignature.verify(SECRET, BODY, GITHUBS.substring(0, GITHUBS.length() - 2)), "too short");
        assertFalse(WebhookSignature.verify(SECRET, BODY, GITHUBS + "00"), "too long");
    }
}
