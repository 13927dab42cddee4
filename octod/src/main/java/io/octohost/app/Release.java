package io.octohost.app;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A numbered, runnable version of an app: an image (built from a commit, or an image source run as
 * it is: no commit) with the app's config as it was, who made it, when, and why (a push, an API
 * build, a config change, a scale, a rollback). {@code published} is where the registry has the
 * image, when it was pushed there ({@code REGISTRY/APP:vN@sha256:...}). {@code processes} are the
 * commands of its {@link Procfile}'s types (none: only {@code web}, the image's CMD).
 */
public record Release(int number, Optional<Commit> commit, String imageId, Optional<String> published, OptionalInt port,
                      SortedMap<String, String> config, Instant time, String by, String description,
                      SortedMap<String, String> processes) {
    public Release {
        config = new TreeMap<>(config);
        processes = new TreeMap<>(processes);
    }

    public Release(int number, Optional<Commit> commit, String imageId, Optional<String> published, OptionalInt port,
                   Map<String, String> config, Instant time, String by, String description) {
        this(number, commit, imageId, published, port, new TreeMap<>(config), time, by, description, new TreeMap<>());
    }

    /** Its process types: {@code web} and the Procfile's others, in name order. */
    public SortedSet<String> types() {
        SortedSet<String> types = new TreeSet<>(processes.keySet());
        types.add(Procfile.WEB);
        return types;
    }

    public String label() {
        return "v" + number;
    }

    /** A release number as a user names it: {@code vN} or {@code N}. */
    public static int number(String text) {
        if (!text.matches("v?[1-9][0-9]{0,8}")) {
            throw new UserError("invalid release '" + text + "': give vN, e.g. v3");
        }
        return Integer.parseInt(text.replaceFirst("^v", ""));
    }
}
