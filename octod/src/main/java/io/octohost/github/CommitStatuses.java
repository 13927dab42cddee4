package io.octohost.github;

import java.net.URI;

/** GitHub's commit statuses (seed 002): what a build says of the commit it builds, shown on pull requests. */
public interface CommitStatuses {
    /** The context octod's statuses carry, one per commit. */
    String CONTEXT = "octohost";

    /** A commit status: {@code pending}, {@code success}, {@code failure} or {@code error}, why, and the build's log. */
    record Status(String state, String description, URI targetUrl) {
    }

    /**
     * Posts a status of commit {@code sha} of {@code repo} ({@code owner/name}) with {@code token};
     * throws saying why GitHub did not take it (without the token).
     */
    void post(String repo, String sha, Status status, String token) throws Exception;
}
