package io.octohost.app;

/** A git commit id, with the short form octohost shows and tags images with. */
public record Commit(String sha) {
    public Commit {
        if (sha == null || !sha.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("not a commit id: " + sha);
        }
    }

    public String shortSha() {
        return sha.substring(0, 7);
    }

    @Override
    public String toString() {
        return shortSha();
    }
}
