package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.NotFound;
import io.octohost.auth.Tokens;
import io.octohost.auth.Users;
import io.octohost.builds.BuildService;
import io.octohost.deploy.DeploySettings;
import io.octohost.deploy.Pipeline;
import io.octohost.git.Repos;
import io.octohost.run.ContainerRunner;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.Keys;
import io.octohost.state.Records;
import io.octohost.state.Releases;
import io.octohost.state.StateStore;

import java.time.Clock;

/** What the commands work on, and the clock (with the zone) they show times by. */
public record Services(Keys keys, AppClaims claims, AppConfigs configs, Releases releases, Pipeline pipeline,
                       Repos repos, ContainerRunner runner, DeploySettings settings,
                       StateStore store, Tokens tokens, BuildService builds, Records records, Clock clock) {

    /** The users who log in with a password (octo login), kept in the state store like the keys. */
    public Users users() {
        return new Users(store, clock);
    }

    /** The named app, which must exist: one that was pushed and not destroyed. */
    public AppName app(String name) {
        AppName app = AppName.of(name);
        if (claims.owner(app).isEmpty()) {
            throw new NotFound("unknown app '" + app + "'");
        }
        return app;
    }
}
