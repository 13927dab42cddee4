package io.octohost.http;

import io.octohost.builds.BuildService;
import io.octohost.command.AppDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of every route the HTTP API serves. The OpenAPI document (the resource
 * {@code openapi.json}, served at {@code /v1/openapi.json}) lists exactly these; a test holds them equal.
 */
final class ApiRoutes {
    static final String OPENAPI_RESOURCE = "openapi.json";

    private ApiRoutes() {
    }

    static List<Route> table(AppDirectory apps, BuildService builds) {
        byte[] openapi = openapi();
        List<Route> routes = new ArrayList<>();
        routes.add(Route.get("/v1/openapi.json", ex -> ex.stream("application/json").write(openapi)).open());
        routes.addAll(new AppEndpoints(apps).routes());
        routes.addAll(new BuildEndpoints(apps, builds).routes());
        routes.addAll(new MonitorEndpoints(builds).routes());
        return routes;
    }

    static byte[] openapi() {
        return resource(OPENAPI_RESOURCE);
    }

    /** A file of this package's resources, from the jar. */
    static byte[] resource(String name) {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
