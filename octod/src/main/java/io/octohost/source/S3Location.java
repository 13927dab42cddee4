package io.octohost.source;

import io.octohost.app.AppName;
import io.octohost.app.UserError;

/**
 * A bucket and a key prefix, from {@code s3://bucket} or {@code s3://bucket/some/prefix}: the archive of
 * release N of APP is the object {@code prefix/APP/vN.tar.gz}.
 */
public record S3Location(String bucket, String prefix) {
    private static final String SCHEME = "s3://";

    public S3Location {
        // S3's bucket naming rules: 3-63 lower-case letters, digits, dots and dashes, a letter or digit at each end
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new UserError("'" + bucket + "' is not a bucket name (3-63 of a-z 0-9 . -)");
        }
        if (!prefix.isEmpty() && (!prefix.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*") || prefix.matches("(.*/)?\\.\\.?(/.*)?"))) {
            throw new UserError("'" + prefix + "' is not a key prefix (path segments of A-Z a-z 0-9 . _ -)");
        }
    }

    /** Reads {@code s3://bucket[/prefix][/]}. */
    public static S3Location parse(String url) {
        if (!url.startsWith(SCHEME)) {
            throw new UserError("'" + url + "' is not s3://bucket[/prefix]");
        }
        String rest = url.substring(SCHEME.length());
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Location(rest, "") : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The prefix of every key of the app's archives, ending in a slash. */
    public String appPrefix(AppName app) {
        return (prefix.isEmpty() ? "" : prefix + "/") + app + "/";
    }

    public String key(AppName app, int release) {
        return appPrefix(app) + SourceArchive.fileName(release);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
