package io.octohost.app;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A build's id, unique within its app: chosen by the client (seed 004's build_id) or by octod. */
public record BuildId(@JsonValue String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @JsonCreator
    public BuildId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new UserError("invalid build id '" + AppName.printable(value) + "': use 1 to 64 letters, digits,"
                    + " '_', '.' and '-', starting with a letter or digit");
        }
    }

    public static BuildId random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return new BuildId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
