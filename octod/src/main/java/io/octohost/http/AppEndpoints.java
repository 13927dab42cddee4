package io.octohost.http;

import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.command.AppDirectory;

import java.util.List;

/** Read-only views of apps for dashboards: the same as octo apps:list, apps:info and releases show. */
final class AppEndpoints {
    private final AppDirectory apps;

    AppEndpoints(AppDirectory apps) {
        this.apps = apps;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/v1/apps", this::list),
                Route.get("/v1/apps/{app}", ex -> ex.json(200, apps.describe(ex.app(Action.Verb.READ, apps)))),
                Route.get("/v1/apps/{app}/releases", ex -> ex.json(200, apps.releases(ex.app(Action.Verb.READ, apps)))));
    }

    /** Every app the caller may read: all for admins and unlimited deploy tokens, its own for a limited one. */
    private void list(Exchange ex) throws java.io.IOException {
        ex.json(200, apps.apps().stream().filter(a -> Permissions.allows(ex.principal(), Action.read(a)))
                .map(apps::describe).toList());
    }
}
