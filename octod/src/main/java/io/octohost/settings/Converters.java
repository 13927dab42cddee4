package io.octohost.settings;

import io.octohost.app.ByteSize;
import io.octohost.app.Domain;
import io.octohost.app.ShellWords;
import io.octohost.app.UserError;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/** How octod's settings are read from their text: each converter checks its value, with a one-line reason. */
final class Converters {
    private Converters() {
    }

    /** {@code HOST:PORT}, IPv6 in brackets. */
    static final class HostPort implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            String host = colon > 0 ? value.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (colon > 0 && port >= 1 && port <= 65535) {
                    return new InetSocketAddress(host, port);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not HOST:PORT");
        }
    }

    /** {@code HOST:PORT}, or {@code off}: none. */
    static final class HostPortOrOff implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            return value.strip().equalsIgnoreCase("off") ? null : new HostPort().convert(value);
        }
    }

    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port = whole(value, "a port");
            if (port < 1 || port > 65535) {
                throw new TypeConversionException(port + " is not a port");
            }
            return port;
        }
    }

    /** A whole number, at least 1. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = whole(value, "a number");
            if (n < 1) {
                throw new TypeConversionException("must be at least 1, not " + n);
            }
            return n;
        }
    }

    /** Whole seconds, 0 or more. */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            int n = whole(value.strip().replaceFirst("s$", ""), "a number of seconds");
            if (n < 0) {
                throw new TypeConversionException("must not be negative, not " + n);
            }
            return Duration.ofSeconds(n);
        }
    }

    /** Whole seconds, at least 1. */
    static final class PositiveSeconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = new Seconds().convert(value);
            if (d.isZero()) {
                throw new TypeConversionException("must be at least 1 second");
            }
            return d;
        }
    }

    /** A size like {@code 2G} or {@code 500M}, in bytes. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a size like 2G or 500M");
            }
        }
    }

    /** The domain apps are served under: a lowercase host name. */
    static final class BaseDomain implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                if (value.equals(value.strip().toLowerCase(java.util.Locale.ROOT)) && !value.startsWith("*.")) {
                    return Domain.of(value).value();
                }
            } catch (UserError e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a lowercase host name");
        }
    }

    /** A command prefix split by shell word rules, never run by a shell. */
    static final class Command implements ITypeConverter<Words> {
        @Override
        public Words convert(String value) {
            try {
                List<String> words = ShellWords.split(value);
                if (!words.isEmpty()) {
                    return new Words(words);
                }
            } catch (UserError e) {
                throw new TypeConversionException(e.getMessage());
            }
            throw new TypeConversionException("empty");
        }
    }

    /** {@code host:port[/prefix]}; empty: none. */
    static final class Registry implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank() || value.matches("[A-Za-z0-9.-]+(:[0-9]+)?(/[a-z0-9._/-]+)?")) {
                return value.strip();
            }
            throw new TypeConversionException("'" + value + "' is not host:port[/prefix]");
        }
    }

    /** The Consul agent's HTTP API: {@code http(s)://HOST:PORT}. */
    static final class ConsulUrl implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                URI uri = new URI(value.strip());
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null
                        && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not http://HOST:PORT");
        }
    }

    /** The words of a command line. */
    record Words(List<String> list) {
    }

    private static int whole(String value, String what) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
    }
}
