package io.octohost.deploy;

import io.octohost.app.Backend;
import io.octohost.app.Route;
import io.octohost.app.UserError;
import io.octohost.route.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Points nginx at the instances a rollout says may take traffic now, while a Swarm replaces the old
 * ones by new ones (it stops an old task about two seconds after it takes it out of the service:
 * nginx has moved on by then); none left: the app is taken off nginx. The runner reports the same
 * instances again as it polls: nginx is reloaded only when they change. Only for a deploy nginx
 * routes; a refusal is logged, and the switch at the end reports it.
 */
final class FollowRollout implements Consumer<List<Backend>> {
    private static final Logger log = LoggerFactory.getLogger(FollowRollout.class);
    private final Router router;
    private final Deploy deploy;

    FollowRollout(Router router, Deploy deploy) {
        this.router = router;
        this.deploy = deploy;
    }

    @Override
    public void accept(List<Backend> backends) {
        if (deploy.release().port().isEmpty() || !deploy.run().routed()) {
            return;
        }
        try {
            Route wanted = new Route(deploy.app(), deploy.run().domains(), backends);
            if (backends.isEmpty()) {
                router.unroute(deploy.app());
            } else if (!wanted.equals(router.routes().get(deploy.app()))) {
                router.route(wanted);
            }
        } catch (UserError e) {
            log.warn("{}: nginx could not follow the rollout: {}", deploy.app(), e.getMessage());
        }
    }
}
