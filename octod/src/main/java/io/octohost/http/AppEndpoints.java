package io.octohost.http;

import io.octohost.app.AppName;
import io.octohost.app.Release;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.command.AppDirectory;

import java.io.InputStream;
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
                Route.get("/v1/apps/{app}/releases", ex -> ex.json(200, apps.releases(ex.app(Action.Verb.READ, apps)))),
                Route.get("/v1/apps/{app}/releases/{n}/source", this::source));
    }

    /** A release's source: admins only, as clone over HTTP is (it is the app's code, not a view of it). */
    private void source(Exchange ex) throws java.io.IOException {
        AppName app = ex.app(Action.Verb.READ_SOURCE, apps);
        int number = Exchange.field("n", () -> Release.number(ex.param("n")));
        try (InputStream in = apps.source(app, number)) {
            in.transferTo(ex.stream("application/gzip"));
        }
    }

    /** Every app the caller may read: all for admins and unlimited deploy tokens, its own for a limited one. */
    private void list(Exchange ex) throws java.io.IOException {
        ex.json(200, apps.apps().stream().filter(a -> Permissions.allows(ex.principal(), Action.read(a)))
                .map(apps::describe).toList());
    }
}
