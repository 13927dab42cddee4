package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Commit;
import io.octohost.app.Release;
import io.octohost.run.AppContainer;
import io.octohost.state.AppClaims;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What octo and the HTTP API show of an app and of its releases, computed once for both. Releases
 * are shown without their config: a release's config snapshot holds secrets.
 */
public final class AppViews implements AppDirectory {
    private final Services s;

    public AppViews(Services services) {
        this.s = services;
    }

    @Override
    public List<AppName> apps() {
        return s.claims().apps();
    }

    @Override
    public AppName existing(AppName app) {
        return s.app(app.value());
    }

    /** For apps:list, apps:info and GET /v1/apps/{app}. */
    @Override
    public App describe(AppName app) {
        Optional<AppClaims.Owner> owner = s.claims().owner(app);
        Optional<Release> release = s.releases().current(app);
        List<Container> containers = s.runner().list(app).stream().map(AppViews::container)
                .sorted(Comparator.comparing(Container::name)).toList();
        return new App(app.value(), owner.map(o -> o.repo().value()).orElse(null), owner.map(AppClaims.Owner::branch).orElse(null),
                release.map(Release::label).orElse(null), release.flatMap(Release::commit).map(Commit::sha).orElse(null), containers,
                s.configs().allDomains(app), s.settings().url(app));
    }

    @Override
    public InputStream source(AppName app, int number) {
        return s.pipeline().sources().open(app, OptionalInt.of(number)).tarGz();
    }

    private static Container container(AppContainer c) {
        return new Container(c.name(), c.id(), c.running() ? Container.RUNNING : Container.STOPPED,
                c.backend().map(Backend::hostPort).orElse(null), c.node().isEmpty() ? null : c.node(), c.process());
    }

    /** For releases and GET /v1/apps/{app}/releases. */
    @Override
    public List<ReleaseRow> releases(AppName app) {
        List<Release> newestFirst = new ArrayList<>(s.releases().list(app));
        Collections.reverse(newestFirst);
        int current = newestFirst.isEmpty() ? 0 : newestFirst.get(0).number();
        return newestFirst.stream().map(r -> new ReleaseRow(r.label(), r.number() == current, r.commit().map(Commit::sha).orElse(null),
                r.imageId(), r.number() != current && s.runner().canRun(r), r.time(), r.by(), r.description())).toList();
    }
}
