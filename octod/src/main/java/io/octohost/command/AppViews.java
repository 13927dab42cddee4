package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.Release;
import io.octohost.run.AppContainer;
import io.octohost.state.AppClaims;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    public Map<String, Object> describe(AppName app) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", app.value());
        Optional<AppClaims.Owner> owner = s.claims().owner(app);
        owner.ifPresent(o -> {
            info.put("repo", o.repo().value());
            info.put("branch", o.branch());
        });
        Optional<Release> release = s.releases().current(app);
        info.put("release", release.map(Release::label).orElse(null));
        info.put("commit", release.map(r -> r.commit().sha()).orElse(null));
        List<Map<String, Object>> containers = new ArrayList<>();
        for (AppContainer c : s.runner().list(app)) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", c.name());
            one.put("id", c.id().substring(0, 12));
            one.put("state", c.running() ? "running" : "stopped");
            c.backend().ifPresent(b -> one.put("port", b.hostPort()));
            containers.add(one);
        }
        info.put("containers", containers);
        info.put("domains", s.configs().allDomains(app));
        info.put("url", s.settings().url(app));
        return info;
    }

    /** For releases and GET /v1/apps/{app}/releases. */
    @Override
    public List<Map<String, Object>> releases(AppName app) {
        List<Release> all = s.releases().list(app);
        int current = all.isEmpty() ? 0 : all.get(all.size() - 1).number();
        List<Release> newestFirst = new ArrayList<>(all);
        Collections.reverse(newestFirst);
        return newestFirst.stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("release", r.label());
            row.put("current", r.number() == current);
            row.put("commit", r.commit().sha());
            row.put("image", r.imageId());
            row.put("rollback", r.number() != current && s.images().exists(r.imageId()));
            row.put("time", r.time().toString());
            row.put("by", r.by());
            row.put("description", r.description());
            return row;
        }).toList();
    }
}
