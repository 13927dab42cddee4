package io.octohost.deploy;

import io.octohost.app.ConfigKeys;
import io.octohost.app.Route;
import io.octohost.route.Router;
import io.octohost.state.AppConfigs;

import java.util.Optional;

/**
 * Points nginx at the app's running containers with its domains as configured now, without
 * restarting them; nothing when nginx does not route the app (or, {@code whenChanged}, already
 * serves those domains). Undone, the old route is back.
 */
final class Reroute implements Step {
    private final Router router;
    private final AppConfigs configs;
    private final boolean whenChanged;

    Reroute(Router router, AppConfigs configs, boolean whenChanged) {
        this.router = router;
        this.configs = configs;
        this.whenChanged = whenChanged;
    }

    @Override
    public String timing() {
        return "route";
    }

    @Override
    public void run(Deploy deploy) {
        configs.checkDomainsFree(deploy.app(), ConfigKeys.domains(deploy.config()));
        Optional<Route> current = Optional.ofNullable(router.routes().get(deploy.app()));
        if (current.isEmpty() || (whenChanged && current.get().domains().equals(deploy.run().domains()))) {
            return;
        }
        deploy.previousRoute(current);
        Route route = new Route(deploy.app(), deploy.run().domains(), current.get().backends());
        deploy.progress().stage("Routing " + String.join(", ", route.domains()));
        router.route(route);
    }

    @Override
    public void undo(Deploy deploy) {
        deploy.previousRoute().ifPresent(router::route);
    }
}
