package io.octohost.e2e.api;

import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Secrets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP API of a real octod, with tokens made by octo: what a dashboard reads after a real push,
 * each side of the token rules, and curl's basic auth. (API builds: ApiBuildsTest.)
 */
@Tag("docker")
class ApiTokensTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + octohost.httpApiPort() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String createToken(String... args) {
        Proc.Result r = octohost.octo(null, args);
        assertEquals(0, r.exitCode(), r::describe);
        String token = r.trimmed();
        assertTrue(token.matches("oct_[A-Za-z0-9_-]{43}"), r::describe);
        return token;
    }

    @Test
    void aDashboardReadsAppsWithATokenAndEachTokenRuleHoldsOnARealOctod() throws Exception {
        // given two apps pushed for real, one with a secret in its config
        octohost.deployed("hello", Content.unique("hello"));
        octohost.deployed("other", Content.unique("other"));
        String secret = Secrets.planted("config");
        assertEquals(0, octohost.octo(null, "config:set", "hello", "API_SECRET=" + secret).exitCode());

        // when an admin token and a deploy token limited to hello are made
        String admin = createToken("tokens:create", "ops");
        String deploy = createToken("tokens:create", "ci", "--role", "deploy", "--app", "hello");
        Proc.Result list = octohost.octo(null, "tokens:list", "--json");
        assertEquals(0, list.exitCode(), list::describe);
        assertTrue(list.output().contains("\"name\":\"ci\"") && list.output().contains("\"apps\":[\"hello\"]"), list::describe);
        assertFalse(list.output().contains(admin.substring(4)) || list.output().contains(deploy.substring(4)), "tokens:list never shows a token");

        // then the admin token reads every app, its release, containers and domains
        HttpResponse<String> apps = get("/v1/apps", admin);
        assertEquals(200, apps.statusCode(), apps.body());
        assertTrue(apps.body().contains("\"name\":\"hello\"") && apps.body().contains("\"name\":\"other\""), apps.body());
        HttpResponse<String> info = get("/v1/apps/hello", admin);
        assertEquals(200, info.statusCode(), info.body());
        assertTrue(info.body().contains("\"release\":\"v2\"") && info.body().contains("\"state\":\"running\"")
                && info.body().contains("hello." + Octohost.DOMAIN), info.body());
        HttpResponse<String> releases = get("/v1/apps/hello/releases", admin);
        assertEquals(200, releases.statusCode(), releases.body());
        assertTrue(releases.body().contains("\"release\":\"v2\"") && releases.body().contains("API_SECRET"), releases.body());
        assertFalse(releases.body().contains(secret), "no config value in the releases: " + releases.body());
        HttpResponse<String> builds = get("/v1/apps/hello/builds", admin);
        assertEquals(200, builds.statusCode(), builds.body());
        assertTrue(builds.body().startsWith("[{") && builds.body().contains("\"trigger\":\"git-push\"")
                && builds.body().contains("\"status\":\"succeeded\""), "the push is a build: " + builds.body());

        // the deploy token sees hello only, and is refused other (403)
        HttpResponse<String> limited = get("/v1/apps", deploy);
        assertTrue(limited.body().contains("\"name\":\"hello\"") && !limited.body().contains("\"name\":\"other\""), limited.body());
        assertEquals(200, get("/v1/apps/hello", deploy).statusCode());
        HttpResponse<String> denied = get("/v1/apps/other", deploy);
        assertEquals(403, denied.statusCode(), denied.body());
        assertTrue(denied.body().startsWith("{\"error\":\"permission denied: token 'ci'"), denied.body());

        // curl, with the token as the basic auth password
        Proc.Result curl = Proc.of("curl", "-sS", "-u", "anyone:" + deploy, "-w", "\n%{http_code}",
                "http://127.0.0.1:" + octohost.httpApiPort() + "/v1/apps/hello").timeout(Duration.ofSeconds(30)).run();
        assertTrue(curl.output().strip().endsWith("200") && curl.output().contains("\"name\":\"hello\""), curl::describe);

        // no token, a wrong one, an unknown app: 401, 401, 404; the attempts are logged without the token
        HttpResponse<String> none = get("/v1/apps", null);
        assertEquals(401, none.statusCode());
        assertEquals(List.of("Bearer realm=\"octod\"", "Basic realm=\"octod\", charset=\"UTF-8\""), none.headers().allValues("WWW-Authenticate"));
        String wrong = admin.substring(0, 30) + "A".repeat(admin.length() - 30);
        assertEquals(401, get("/v1/apps", wrong).statusCode());
        assertEquals(404, get("/v1/apps/nope", admin).statusCode());
        String log = Files.readString(octohost.octodLog());
        assertTrue(log.contains("refused GET /v1/apps from 127.0.0.1: a token that is not valid"), octohost.octodLogTail(30));
        assertFalse(log.contains(wrong.substring(4)) || log.contains(admin.substring(4)) || log.contains(deploy.substring(4)),
                "a token in octod's log");

        // a revoked token stops working at once
        assertEquals(0, octohost.octo(null, "tokens:revoke", "ci").exitCode());
        assertEquals(401, get("/v1/apps/hello", deploy).statusCode());

        // the OpenAPI document needs no token
        HttpResponse<String> doc = get("/v1/openapi.json", null);
        assertEquals(200, doc.statusCode());
        assertTrue(doc.body().contains("\"/v1/shuttle/{app}/{build_id}\""), doc.body().substring(0, 200));
    }

    @Test
    void badTokenAndBuildCommandsSayWhyAndChangeNothing() {
        Proc.Result adminWithApps = octohost.octo(null, "tokens:create", "ops2", "--app", "hello");
        assertEquals(1, adminWithApps.exitCode(), adminWithApps::describe);
        assertTrue(adminWithApps.output().contains("error: --app limits deploy keys and tokens only"), adminWithApps::describe);
        Proc.Result badRole = octohost.octo(null, "tokens:create", "x", "--role", "root");
        assertTrue(badRole.exitCode() == 1 && badRole.output().contains("invalid role 'root'"), badRole::describe);
        Proc.Result revoke = octohost.octo(null, "tokens:revoke", "never-made");
        assertTrue(revoke.exitCode() == 1 && revoke.output().contains("no token named 'never-made'"), revoke::describe);
        Proc.Result list = octohost.octo(null, "tokens:list");
        assertFalse(list.output().contains("ops2") || list.output().contains("never-made"), list::describe);

        // a deploy key may not make tokens over SSH
        Proc.Result viaSsh = octohost.ssh(octohost.addKey("deployer", "deploy"), Duration.ofSeconds(30), "git@127.0.0.1", "tokens:create sneaky");
        assertEquals(1, viaSsh.exitCode(), viaSsh::describe);
        assertTrue(viaSsh.output().contains("permission denied: key 'deployer' may not run admin commands"), viaSsh::describe);
        assertFalse(octohost.octo(null, "tokens:list").output().contains("sneaky"));

        // the build history of an app pushed once, and a build that does not exist
        octohost.deployed("quiet", Content.unique("quiet"));
        Proc.Result builds = octohost.octo(null, "builds", "quiet", "--json");
        assertEquals(0, builds.exitCode(), builds::describe);
        assertTrue(builds.trimmed().startsWith("[{\"id\":") && builds.trimmed().contains("\"trigger\":\"git-push\""), builds::describe);
        Proc.Result info = octohost.octo(null, "builds:info", "quiet", "nope");
        assertTrue(info.exitCode() == 1 && info.output().contains("error: no build 'nope' of quiet"), info::describe);
        Proc.Result unknownApp = octohost.octo(null, "builds", "nope");
        assertTrue(unknownApp.exitCode() == 1 && unknownApp.output().contains("error: unknown app 'nope'"), unknownApp::describe);
    }
}
