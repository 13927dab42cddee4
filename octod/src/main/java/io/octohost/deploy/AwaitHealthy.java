package io.octohost.deploy;

import io.octohost.route.Router;

import java.time.Duration;

/**
 * Waits until every new instance runs, listens (within --ready-timeout) and passes the app's health
 * check. Where the runner replaces old instances as it goes (a Swarm), nginx follows meanwhile.
 */
final class AwaitHealthy implements Step {
    private final Router router;
    private final Duration readyTimeout;

    AwaitHealthy(Router router, Duration readyTimeout) {
        this.router = router;
        this.readyTimeout = readyTimeout;
    }

    @Override
    public String timing() {
        return "ready";
    }

    @Override
    public void run(Deploy deploy) {
        deploy.started(deploy.rollout().orElseThrow().awaitHealthy(readyTimeout, deploy.progress(), new FollowRollout(router, deploy)));
    }
}
