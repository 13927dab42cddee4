package io.octohost.app;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Text from bytes, exactly or not at all: config values are kept byte-exact, so bytes that are not
 * UTF-8 are refused rather than silently turned into U+FFFD.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** @throws UserError "WHAT is not valid UTF-8: ..." */
    public static String decode(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UserError(what + " is not valid UTF-8: octohost keeps text byte-exact and takes UTF-8 only");
        }
    }
}
