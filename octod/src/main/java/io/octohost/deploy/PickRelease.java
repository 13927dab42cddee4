package io.octohost.deploy;

import io.octohost.app.ConfigKeys;
import io.octohost.app.Release;
import io.octohost.app.UserError;
import io.octohost.run.ContainerRunner;
import io.octohost.state.AppConfigs;
import io.octohost.state.Releases;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/** A rollback's target: an earlier release (the one before the current by default), its image and its config. */
final class PickRelease implements Step {
    private final OptionalInt target;
    private final Releases releases;
    private final ContainerRunner runner;
    private final AppConfigs configs;
    private final int keepReleases;

    PickRelease(OptionalInt target, Releases releases, ContainerRunner runner, AppConfigs configs, int keepReleases) {
        this.target = target;
        this.releases = releases;
        this.runner = runner;
        this.configs = configs;
        this.keepReleases = keepReleases;
    }

    @Override
    public void run(Deploy deploy) {
        Release current = releases.current(deploy.app()).orElseThrow(() -> new UserError(deploy.app() + " has no release yet"));
        int number = target.orElse(current.number() - 1);
        Release old = releases.find(deploy.app(), number)
                .orElseThrow(() -> new UserError(deploy.app() + " has no release v" + number));
        if (!runner.canRun(old)) {
            throw new UserError("cannot roll back to " + old.label() + ": its image was deleted (only the last "
                    + keepReleases + " releases keep theirs, --keep-releases)");
        }
        deploy.progress().stage("Rolling back " + deploy.app() + " to " + old.label() + old.commit().map(c -> " (" + c.shortSha() + ")").orElse(""));
        deploy.image(old.commit(), old.imageId(), old.published(), old.port());
        deploy.processes(old.processes());
        // the release's config, with the counts of each process type kept as they are now
        SortedMap<String, String> config = new TreeMap<>(old.config());
        SortedMap<String, String> now = configs.own(deploy.app());
        for (String count : List.of(ConfigKeys.CONTAINERS, ConfigKeys.PS_SCALE)) {
            config.remove(count);
            Optional.ofNullable(now.get(count)).ifPresent(v -> config.put(count, v));
        }
        deploy.config(config, configs.runConfig(deploy.app(), config));
        deploy.describe("rollback to " + old.label());
    }
}
