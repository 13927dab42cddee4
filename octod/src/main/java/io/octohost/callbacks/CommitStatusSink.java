package io.octohost.callbacks;

import io.octohost.app.BuildStatus;
import io.octohost.github.CommitStatuses;

/**
 * A build's statuses as GitHub commit statuses: {@code pending} when it is accepted, then
 * {@code success}, {@code failure} (it failed) or {@code error} (stopped: cancelled, timed out) at
 * its end; waiting and building say nothing new to GitHub.
 */
final class CommitStatusSink implements StatusSink {
    private final CommitStatuses github;
    private final CallbackTarget.GithubStatus target;

    CommitStatusSink(CommitStatuses github, CallbackTarget.GithubStatus target) {
        this.github = github;
        this.target = target;
    }

    @Override
    public void deliver(String buildKey, StatusBody body) throws Exception {
        CommitStatuses.Status status = switch (BuildStatus.parse(body.status())) {
            case PENDING -> status("pending", "octohost is building " + buildKey);
            case SUCCEEDED -> status("success", "deployed");
            case FAILED -> status("failure", "the build failed");
            case TIMEDOUT -> status("error", "the build timed out");
            case CANCELLED -> status("error", "the build was cancelled");
            case QUEUED, BUILDING -> null;
        };
        if (status != null) {
            github.post(target.repo(), target.sha(), status, target.token());
        }
    }

    private CommitStatuses.Status status(String state, String description) {
        return new CommitStatuses.Status(state, description, target.targetUrl());
    }

    @Override
    public String describe() {
        return target.describe();
    }
}
