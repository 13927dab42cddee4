package io.octohost.e2e.api;

import io.octohost.e2e.Await;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** octod's HTTP API as the build scenarios use it: requests with a token, a build's record, its log, its end. */
public final class BuildApi {
    public static final Set<String> ENDED = Set.of("succeeded", "failed", "timedout", "cancelled");
    private final Octohost octohost;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public BuildApi(Octohost octohost) {
        this.octohost = octohost;
    }

    /** {@code octo tokens:create ARGS...}: the token it prints once. */
    public String token(String... args) {
        Proc.Result r = octohost.octo(null, args);
        if (!r.ok() || !r.trimmed().startsWith("oct_")) {
            throw new AssertionError("tokens:create failed:\n" + r.describe());
        }
        return r.trimmed();
    }

    /** A request to the API with a bearer token (none when null) and a JSON body (none when null). */
    public HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + octohost.httpApiPort() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /v1/apps/APP/builds/ID/log?follow=1}, answered once the build has ended and the stream closed. */
    CompletableFuture<HttpResponse<String>> followLog(String app, String id, String token) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + octohost.httpApiPort() + "/v1/apps/" + app
                + "/builds/" + id + "/log?follow=1")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The build's record ({@code GET /v1/apps/APP/builds/ID}). */
    Map<String, Object> build(String app, String id, String token) {
        HttpResponse<String> r = call("GET", "/v1/apps/" + app + "/builds/" + id, token, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET build " + app + "/" + id + ": " + r.statusCode() + " " + r.body());
        }
        return Json.object(Json.parse(r.body()));
    }

    /** The app's build records, newest first. */
    List<Map<String, Object>> builds(String app, String token) {
        HttpResponse<String> r = call("GET", "/v1/apps/" + app + "/builds", token, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET builds of " + app + ": " + r.statusCode() + " " + r.body());
        }
        return Json.objects(Json.parse(r.body()));
    }

    /** Waits until the build has ended and returns its record. */
    Map<String, Object> awaitEnd(String app, String id, String token, Duration timeout) {
        return Await.until("build " + app + "/" + id + " ends", timeout, () -> build(app, id, token), b -> ENDED.contains(b.get("status")));
    }

    /** The build's log as plain text. */
    public String log(String app, String id, String token) {
        HttpResponse<String> r = call("GET", "/v1/apps/" + app + "/builds/" + id + "/log", token, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET log of " + app + "/" + id + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** The id of a build that octod chose ({@code POST /v1/apps/APP/builds} answers 202 with the record). */
    static String idOf(HttpResponse<String> accepted) {
        if (accepted.statusCode() != 202) {
            throw new AssertionError("expected 202: " + accepted.statusCode() + " " + accepted.body());
        }
        return Json.parse(accepted.body()).path("id").asText();
    }

    /** A JSON string literal. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
