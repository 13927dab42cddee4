package io.octohost.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.octohost.app.AppName;
import io.octohost.app.Json;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.state.Projects;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitHub projects over HTTP (seed 003's project manager), admins only. A secret left out of a new
 * project is made, and answered once; secrets are never answered again.
 */
final class ProjectEndpoints {
    private static final ObjectReader READER = Json.MAPPER.reader();
    private final Projects projects;

    ProjectEndpoints(Projects projects) {
        this.projects = projects;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/v1/projects", ex -> {
                    Permissions.require(ex.principal(), Action.ADMIN);
                    ex.json(200, projects.list().stream().map(Projects.Project::view).toList());
                }),
                Route.post("/v1/projects", ex -> {
                    Permissions.require(ex.principal(), Action.ADMIN);
                    JsonNode body = ex.json(READER);
                    String secret = text(body, "secret");
                    Projects.Project added = projects.add(Exchange.field("project", () -> new Projects.Project(text(body, "name"),
                            text(body, "repo"), text(body, "url"), app(body), branches(body),
                            secret == null ? Projects.newSecret() : secret, text(body, "github_token"))));
                    Map<String, Object> answer = new LinkedHashMap<>(Json.MAPPER.convertValue(added.view(), Map.class));
                    if (secret == null) {
                        answer.put("secret", added.secret());
                    }
                    ex.json(201, answer);
                }),
                Route.get("/v1/projects/{name}", ex -> {
                    Permissions.require(ex.principal(), Action.ADMIN);
                    ex.json(200, projects.get(ex.param("name")).view());
                }),
                Route.put("/v1/projects/{name}", ex -> {
                    Permissions.require(ex.principal(), Action.ADMIN);
                    Projects.Project now = projects.get(ex.param("name"));
                    JsonNode body = ex.json(READER);
                    Projects.Project changed = Exchange.field("project", () -> new Projects.Project(now.name(),
                            or(text(body, "repo"), now.repo()), or(text(body, "url"), now.url()),
                            body.has("app") ? app(body) : now.app(), body.has("branches") ? branches(body) : now.branches(),
                            or(text(body, "secret"), now.secret()), or(text(body, "github_token"), now.githubToken())));
                    ex.json(200, projects.update(changed).view());
                }),
                Route.delete("/v1/projects/{name}", ex -> {
                    Permissions.require(ex.principal(), Action.ADMIN);
                    projects.remove(ex.param("name"));
                    ex.json(200, Map.of("removed", ex.param("name")));
                }));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiError(400, field + ": give a string");
        }
        return value.asText();
    }

    private static String or(String given, String kept) {
        return given == null ? kept : given;
    }

    private static AppName app(JsonNode body) {
        String app = text(body, "app");
        return Exchange.field("app", () -> app == null ? null : AppName.of(app));
    }

    private static List<String> branches(JsonNode body) {
        JsonNode value = body.get("branches");
        List<String> globs = new ArrayList<>();
        if (value != null && !value.isNull()) {
            if (!value.isArray()) {
                throw new ApiError(400, "branches: give a list of branch names or globs");
            }
            value.forEach(b -> globs.add(b.asText()));
        }
        return globs;
    }
}
