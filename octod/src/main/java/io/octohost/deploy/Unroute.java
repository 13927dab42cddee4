package io.octohost.deploy;

import io.octohost.route.Router;

/** Takes the app off nginx, before its containers go. */
final class Unroute implements Step {
    private final Router router;

    Unroute(Router router) {
        this.router = router;
    }

    @Override
    public void run(Deploy deploy) {
        deploy.progress().stage("Removing " + deploy.app());
        router.unroute(deploy.app());
    }
}
