package io.octohost.source;

import io.octohost.app.Credentials;
import io.octohost.app.UserError;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a build starts from: a pushed commit, a tarball of the source at an http(s) URL, a git
 * repository at a ref, or an image that runs as it is (no build). Credentials from a URL are kept
 * apart from it and never shown.
 */
public sealed interface Source {
    /** The source as it may be shown and logged. */
    String describe();

    /** A commit pushed to octod's own repo. */
    record Commit(String sha) implements Source {
        @Override
        public String describe() {
            return "commit " + sha;
        }
    }

    /** A (gzipped) tarball of the source, fetched with basic auth when the URL had user info. */
    record Tarball(URI url, Optional<Credentials> credentials) implements Source {
        @Override
        public String describe() {
            return url.toString();
        }
    }

    /** A git repository and a ref in it (a branch, a tag or a commit): {@code git+https://...#ref}. */
    record Git(URI repository, String ref, Optional<Credentials> credentials) implements Source {
        @Override
        public String describe() {
            return "git+" + repository + "#" + ref;
        }
    }

    /** An image run as it is, pulled with its registry's credentials. */
    record Image(ImageRef image) implements Source {
        @Override
        public String describe() {
            return image.toString();
        }
    }

    Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

    /**
     * A seed 004 {@code source.url}: {@code http(s)://} a tarball, {@code docker://} an image,
     * {@code git+https://...#ref} or {@code git+file://...#ref} a repository.
     */
    static Source parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.startsWith("docker://")) {
            return new Image(ImageRef.parse(s));
        }
        URI uri = uri(s);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                if (uri.getHost() == null || uri.getRawFragment() != null) {
                    throw bad(s);
                }
                return new Tarball(Credentials.strip(uri, scheme), Credentials.of(uri));
            }
            case "git+http", "git+https", "git+file" -> {
                String ref = uri.getRawFragment() == null ? "HEAD" : uri.getFragment();
                if (!REF.matcher(ref).matches() || ref.contains("..")) {
                    throw new UserError("'" + ref + "' is not a git ref (give a branch, a tag or a commit after #)");
                }
                if (!scheme.equals("git+file") && uri.getHost() == null || scheme.equals("git+file") && uri.getRawUserInfo() != null) {
                    throw bad(s);
                }
                return new Git(Credentials.strip(uri, scheme.substring("git+".length())), ref, Credentials.of(uri));
            }
            default -> throw bad(s);
        }
    }

    private static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw bad(s);
        }
    }

    private static UserError bad(String s) {
        return new UserError("'" + Credentials.redact(s) + "' is not an http(s):// tarball, a docker:// image or a"
                + " git+https:// or git+file:// repository with #ref");
    }
}
