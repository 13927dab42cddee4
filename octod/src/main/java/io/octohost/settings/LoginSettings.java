package io.octohost.settings;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** How long a token from octo login is valid: part of {@link Settings}. */
public final class LoginSettings {
    @Option(names = "--login-token-ttl", defaultValue = "${env:OCTOD_LOGIN_TOKEN_TTL:-30d}", converter = Ttl.class,
            description = "How long a token issued by octo login (POST /v1/login) is valid: seconds, or N with s, m, h or d"
                    + " (OCTOD_LOGIN_TOKEN_TTL, default ${DEFAULT-VALUE}).")
    Duration loginTokenTtl;

    public Duration tokenTtl() {
        return loginTokenTtl;
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} or {@code 45}: at least a second. */
    static final class Ttl implements ITypeConverter<Duration> {
        private static final Map<Character, Duration> UNITS = Map.of('s', Duration.ofSeconds(1), 'm', Duration.ofMinutes(1),
                'h', Duration.ofHours(1), 'd', Duration.ofDays(1));

        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            Duration unit = v.isEmpty() ? null : UNITS.get(v.charAt(v.length() - 1));
            String digits = unit == null ? v : v.substring(0, v.length() - 1);
            Duration d = new Converters.PositiveSeconds().convert(digits).getSeconds() > 0
                    ? (unit == null ? Duration.ofSeconds(1) : unit).multipliedBy(Long.parseLong(digits)) : null;
            if (d == null || d.compareTo(Duration.ofDays(3650)) > 0) {
                throw new TypeConversionException("'" + value + "' is not a duration of 1 s to 3650 d, like 30d, 12h or 3600");
            }
            return d;
        }
    }
}
