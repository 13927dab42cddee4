package io.octohost.app;

import java.time.Instant;
import java.util.OptionalInt;

/** A numbered, runnable version of an app: a commit's image, who made it and when. */
public record Release(int number, Commit commit, String imageId, OptionalInt port, Instant time, String by) {
    public String label() {
        return "v" + number;
    }
}
