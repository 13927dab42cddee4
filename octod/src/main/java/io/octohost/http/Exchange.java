package io.octohost.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.Json;
import io.octohost.app.UserError;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.auth.Principal;
import io.octohost.command.AppDirectory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;

/** One request to a route: its path parameters, who asked, the body, and the ways to answer. */
final class Exchange {
    static final int MAX_BODY = 1 << 20;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Map<String, String> params;
    private final Principal principal;

    Exchange(HttpServletRequest request, HttpServletResponse response, Map<String, String> params, Principal principal) {
        this.request = request;
        this.response = response;
        this.params = params;
        this.principal = principal;
    }

    /** Who asked; null only on open routes. */
    Principal principal() {
        return principal;
    }

    /** The {@code {app}} of the path, a valid app name (or 400 naming the parameter). */
    AppName app() {
        return field("app", () -> AppName.of(params.get("app")));
    }

    /** The build id of the path ({@code {build_id}} or {@code {id}}). */
    BuildId buildId() {
        String name = params.containsKey("build_id") ? "build_id" : "id";
        return field(name, () -> new BuildId(params.get(name)));
    }

    /** The path's app, once the caller may do {@code verb} to it (403) and it exists (404). */
    AppName app(Action.Verb verb, AppDirectory apps) {
        AppName app = app();
        Permissions.require(principal, new Action(verb, Optional.of(app)));
        return apps.existing(app);
    }

    /** A parameter of the path, as it came. */
    String param(String name) {
        return params.get(name);
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(request.getParameter(name));
    }

    /** Whether a query flag is on: {@code ?follow=1} or {@code ?follow=true}. */
    boolean flag(String name) {
        return query(name).map(v -> v.equals("1") || v.equalsIgnoreCase("true")).orElse(false);
    }

    /** The body as JSON, read with the given reader (strict by default; lenient for seed 004's bodies). */
    JsonNode json(ObjectReader reader) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new ApiError(413, "the body is larger than " + (MAX_BODY >> 10) + " KiB");
        }
        if (body.length == 0) {
            throw new ApiError(400, "the body is empty: send a JSON object");
        }
        try {
            return reader.readTree(body);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiError(400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    void json(int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        Json.MAPPER.writeValue(response.getOutputStream(), body);
    }

    /** The response body as a stream, committed at once; written out as it comes (chunked). */
    OutputStream stream(String contentType) throws IOException {
        response.setStatus(200);
        response.setContentType(contentType);
        OutputStream out = response.getOutputStream();
        response.flushBuffer();
        return out;
    }

    /** Runs a parse of one request field; its UserError becomes a 400 that names the field. */
    static <T> T field(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (UserError e) {
            throw new ApiError(400, name + ": " + e.getMessage());
        }
    }
}
