package io.octohost.http;

import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.NotFound;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.builds.Build;
import io.octohost.builds.BuildRequest;
import io.octohost.builds.BuildService;
import io.octohost.builds.Trigger;
import io.octohost.callbacks.StatusBody;
import io.octohost.command.AppDirectory;
import io.octohost.source.Source;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Builds over HTTP, in two shapes over one BuildService: seed 004's shuttle API under
 * {@code /v1/shuttle/} (so its clients need only a base URL), and octod's own under
 * {@code /v1/apps/{app}/builds}.
 */
final class BuildEndpoints {
    private static final Map<String, String> OK = Map.of("status", "OK");
    private final AppDirectory apps;
    private final BuildService builds;

    BuildEndpoints(AppDirectory apps, BuildService builds) {
        this.apps = apps;
        this.builds = builds;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/v1/shuttle/{app}/{build_id}", ex -> {
                    submit(ex, ex.buildId());
                    ex.json(200, OK);
                }),
                Route.delete("/v1/shuttle/{app}/{build_id}", ex -> {
                    builds.cancel(ex.app(Action.Verb.BUILD, apps), ex.buildId(), ex.principal().describe());
                    ex.json(200, OK);
                }),
                Route.get("/v1/shuttle/{app}/{build_id}/status", ex -> {
                    Build build = find(ex);
                    ex.json(200, StatusBody.of(build.metadata(), build.status()));
                }),
                Route.get("/v1/shuttle/{app}/{build_id}/logs", ex -> log(ex, false)),
                Route.get("/v1/apps/{app}/builds", ex -> ex.json(200, builds.list(ex.app(Action.Verb.READ, apps)))),
                Route.post("/v1/apps/{app}/builds", ex -> ex.json(202, submit(ex, BuildId.random()))),
                Route.get("/v1/apps/{app}/builds/{id}", ex -> ex.json(200, find(ex))),
                Route.delete("/v1/apps/{app}/builds/{id}", ex -> ex.json(200, builds.cancel(ex.app(Action.Verb.BUILD, apps), ex.buildId(),
                        ex.principal().describe()))),
                Route.get("/v1/apps/{app}/builds/{id}/log", ex -> log(ex, ex.flag("follow"))),
                Route.get("/v1/apps/{app}/builds/{id}/artifacts", ex -> {
                    Build build = find(ex);
                    ex.json(200, builds.artifacts(build.app(), build.id()));
                }),
                Route.get("/v1/apps/{app}/builds/{id}/artifacts/{name}", this::artifact));
    }

    /** Checks in this order: the token (401), its permission (403), the app (404), the body (400), the id (409). */
    private Build submit(Exchange ex, BuildId id) throws IOException {
        AppName app = ex.app(Action.Verb.BUILD, apps);
        BuildRequest request = BuildRequestBody.parse(ex.json(BuildRequestBody.READER), app, id, Trigger.API, ex.principal().name());
        if (request.source() instanceof Source.Git git && git.repository().getScheme().equals("file")) {
            Permissions.require(ex.principal(), Action.buildFromHost(app));
        }
        return builds.submit(request);
    }

    private Build find(Exchange ex) {
        AppName app = ex.app(Action.Verb.READ, apps);
        BuildId id = ex.buildId();
        return builds.find(app, id).orElseThrow(() -> new NotFound("no build '" + id + "' of " + app));
    }

    /** An artifact's bytes; a name the build did not keep is a 404 before anything is written. */
    private void artifact(Exchange ex) throws IOException {
        Build build = find(ex);
        String name = builds.artifact(build.app(), build.id(), ex.param("name")).name();
        try (OutputStream out = ex.stream("application/octet-stream")) {
            builds.writeArtifact(build.app(), build.id(), name, out);
        }
    }

    private void log(Exchange ex, boolean follow) throws IOException {
        Build build = find(ex);
        if (follow) {
            ex.header("X-Accel-Buffering", "no"); // nginx in front passes each line on at once
        }
        try (OutputStream out = ex.stream("text/plain; charset=utf-8")) {
            builds.writeLog(build.app(), build.id(), follow, out);
        }
    }
}
