package io.octohost.app;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people and Docker write them: {@code 512m}, {@code 2G}, {@code 1GiB}, {@code 500MB}, {@code 1024}. */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    /** The number of bytes; units are powers of 1024. @throws IllegalArgumentException when it is not a size */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip());
        if (!m.matches() || (m.group(2).isEmpty() && "ib".equalsIgnoreCase(m.group(3)))) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            case "t" -> n << 40;
            default -> n;
        };
    }
}
