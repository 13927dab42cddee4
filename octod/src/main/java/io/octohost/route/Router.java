package io.octohost.route;

import io.octohost.app.AppName;
import io.octohost.app.Route;

import java.util.Collection;
import java.util.Map;

/**
 * Points the HTTP front door at app containers. Every change returns only once the new routing
 * answers; a change nginx refuses is undone and reported, and the running apps keep their routes.
 */
public interface Router {
    void route(Route route);

    void unroute(AppName app);

    /** Replaces the whole table at once, as after a restart. */
    void replaceAll(Collection<Route> routes);

    Map<AppName, Route> routes();
}
