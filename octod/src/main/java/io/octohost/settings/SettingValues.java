package io.octohost.settings;

import io.octohost.app.UserError;

import java.net.InetSocketAddress;

/** Parsers of setting values shared by several settings: sizes, addresses, URLs; each failure one line naming the flag. */
final class SettingValues {
    private SettingValues() {
    }

    /** A size like 2G, 500M or 4096. */
    static long size(String flag, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([KMGT]?)i?B?", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(text.strip());
        if (!m.matches()) {
            throw new UserError(flag + ": '" + text + "' is not a size like 2G or 500M");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            case "T" -> n << 40;
            default -> n;
        };
    }

    /** Parses {@code HOST:PORT} (IPv6 in brackets). */
    static InetSocketAddress address(String flag, String text) {
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (colon <= 0 || p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, p);
        } catch (NumberFormatException e) {
            throw new UserError(flag + ": '" + text + "' is not HOST:PORT");
        }
    }

    /** An {@code http(s)://HOST:PORT} URL, nothing more. */
    static java.net.URI httpBaseUrl(String flag, String text) {
        try {
            java.net.URI uri = new java.net.URI(text.strip());
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null
                    || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
                throw new java.net.URISyntaxException(text, "not http(s)://HOST:PORT");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new UserError(flag + ": '" + text + "' is not http://HOST:PORT");
        }
    }
}
