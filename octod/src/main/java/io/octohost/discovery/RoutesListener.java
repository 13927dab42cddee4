package io.octohost.discovery;

import io.octohost.app.AppName;
import io.octohost.app.Route;
import io.octohost.route.Router;

import java.util.Collection;
import java.util.Map;

/**
 * A router that tells when the routes changed: a container is registered with Consul once nginx
 * routes to it, and deregistered once nginx no longer does. The deploy itself knows nothing of Consul.
 */
final class RoutesListener implements Router {
    private final Router router;
    private final Runnable changed;

    RoutesListener(Router router, Runnable changed) {
        this.router = router;
        this.changed = changed;
    }

    @Override
    public void route(Route route) {
        try {
            router.route(route);
        } finally {
            changed.run();
        }
    }

    @Override
    public void unroute(AppName app) {
        try {
            router.unroute(app);
        } finally {
            changed.run();
        }
    }

    @Override
    public void replaceAll(Collection<Route> routes) {
        try {
            router.replaceAll(routes);
        } finally {
            changed.run();
        }
    }

    @Override
    public Map<AppName, Route> routes() {
        return router.routes();
    }
}
