package io.octohost.deploy;

import io.octohost.app.Route;
import io.octohost.app.RunConfig;
import io.octohost.route.Router;

import java.util.Optional;

/**
 * Points nginx at the new containers (or takes the app off nginx: scaled to 0, no port, NO_HTTP_PROXY).
 * Returns once nginx serves the new routes. Undone, nginx goes back to the route it had.
 */
final class SwitchRoute implements Step {
    private final Router router;

    SwitchRoute(Router router) {
        this.router = router;
    }

    @Override
    public String timing() {
        return "route";
    }

    @Override
    public void run(Deploy deploy) {
        deploy.previousRoute(Optional.ofNullable(router.routes().get(deploy.app())));
        RunConfig config = deploy.run();
        if (deploy.started().isEmpty()) {
            router.unroute(deploy.app());
            deploy.progress().stage(deploy.app() + " is scaled to 0: stopped, and kept");
            return;
        }
        if (deploy.release().port().isEmpty() || !config.routed()) {
            router.unroute(deploy.app());
            deploy.progress().stage(deploy.app() + " is running, not routed" + (config.routed() ? "" : " (NO_HTTP_PROXY is set)"));
            return;
        }
        Route route = new Route(deploy.app(), config.domains(), deploy.started());
        deploy.progress().stage("Routing " + String.join(", ", route.domains()));
        router.route(route);
    }

    @Override
    public void undo(Deploy deploy) {
        Optional<Route> previous = deploy.previousRoute();
        if (previous.isPresent()) {
            router.route(previous.get());
        } else {
            router.unroute(deploy.app());
        }
    }
}
