package io.octohost.source;

import io.octohost.app.Credentials;
import io.octohost.app.UserError;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image in a registry, from seed 004's {@code docker://[user:pass@]host[:port]/repo:tag}: where an
 * image source is pulled from, or where a built image is pushed to, with the registry's credentials.
 */
public record ImageRef(String registry, String repository, String tag, Optional<Credentials> credentials) {
    private static final Pattern PATH = Pattern.compile("/([a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)"
            + "(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@(sha256:[0-9a-f]{64}))?");

    public static ImageRef parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new UserError("'" + Credentials.redact(text) + "' is not docker://[user:pass@]host/repo:tag");
        }
        Matcher m = PATH.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (!"docker".equals(uri.getScheme()) || uri.getHost() == null || !m.matches() || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new UserError("'" + Credentials.redact(text) + "' is not docker://[user:pass@]host/repo:tag");
        }
        String registry = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String tag = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : "latest";
        return new ImageRef(registry, m.group(1), tag, Credentials.of(uri));
    }

    /** The reference Docker takes: {@code host/repo:tag} (or {@code host/repo@sha256:...}). */
    public String reference() {
        return registry + "/" + repository + (tag.startsWith("sha256:") ? "@" : ":") + tag;
    }

    @Override
    public String toString() {
        return "docker://" + reference();
    }
}
