package io.octohost.e2e.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Secrets;
import io.octohost.e2e.api.BuildApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GitHub drives deploys (issue 15): "GitHub" is a local repository reached by a file:// clone URL
 * and a real HTTP server standing in for its status API; the webhook's payloads are signed here with
 * the project's secret and POSTed to octod's real HTTP API; what they deploy is served by a real nginx.
 */
class GithubWebhookTest {
    private static final Duration BUILD = Duration.ofSeconds(240);
    static final FakeGithub github = FakeGithub.start();
    @RegisterExtension
    static final Octohost octohost = Octohost.builder().extraArgs("--github-api-url", github.url()).build();
    /** Where the secret files go: a directory of mode 0700, files of mode 0600 (createTempFile's). */
    @TempDir
    static Path secretFiles;
    private final Webhook hook = new Webhook(octohost);
    private final BuildApi api = new BuildApi(octohost);
    private final List<String> planted = new ArrayList<>();

    @AfterAll
    static void stopGithub() {
        github.close();
    }

    @Test
    void aSignedPushDeploysThatCommitAndGithubHearsPendingThenSuccessAndAFailedBuildIsAFailure() {
        AppRepo site = octohost.app("github-site");
        String v1 = site.staticSite("site v1").commit("v1");
        String secret = plant("webhook");
        String token = plant("ghtoken");
        addProject("site", "acme/site", site, "ghsite", secret, token);

        HttpResponse<String> accepted = hook.deliver("push", Webhook.push("acme/site", "master", v1, false), secret, Webhook.newDelivery());
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode build = Json.parse(accepted.body());
        assertEquals("webhook", build.path("trigger").asText(), accepted.body());
        String id = build.path("id").asText();
        assertEquals("succeeded", awaitEnd("ghsite", id), log("ghsite", id));
        assertEquals("site v1", octohost.get("ghsite").bodyText());
        assertTrue(log("ghsite", id).contains("Fetching git+file://" + site.dir()), "fetched from the registered URL, not the payload's");

        List<FakeGithub.Posted> statuses = awaitStatuses("acme/site", v1, 2);
        assertEquals(List.of("pending", "success"), statuses.stream().map(FakeGithub.Posted::state).toList());
        for (FakeGithub.Posted s : statuses) {
            assertEquals("Bearer " + token, s.authorization());
            assertEquals("octohost", s.body().path("context").asText());
            assertTrue(s.body().path("target_url").asText().endsWith(":" + octohost.httpApiPort() + "/v1/apps/ghsite/builds/" + id + "/log"),
                    s.body().toString());
        }
        assertEquals(200, api.call("GET", "/v1/apps/ghsite/builds/" + id + "/log", admin(), null).statusCode(), "target_url is the log");

        // a commit whose build fails: GitHub hears failure, and the running version keeps serving
        String broken = site.dockerfile("FROM " + Octohost.BASE_IMAGE, "RUN echo the tests fail && false").commit("broken");
        // (sent through a TLS proxy: the status links to the build's log as the proxy serves it)
        HttpResponse<String> second = hook.deliver("push", Webhook.push("acme/site", "master", broken, false), secret, Webhook.newDelivery(),
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "ci.example.com");
        assertEquals(202, second.statusCode(), second.body());
        String failedId = Json.parse(second.body()).path("id").asText();
        assertEquals("failed", awaitEnd("ghsite", failedId));
        List<FakeGithub.Posted> failure = awaitStatuses("acme/site", broken, 2);
        assertEquals(List.of("pending", "failure"), failure.stream().map(FakeGithub.Posted::state).toList());
        assertEquals("https://ci.example.com/v1/apps/ghsite/builds/" + failedId + "/log", failure.get(1).body().path("target_url").asText());
        assertEquals("site v1", octohost.get("ghsite").bodyText());
        assertNoSecretsLogged();
    }

    @Test
    void aGithubApiThatFailsNeverFailsTheBuildAndItsTokenIsNotLogged() {
        AppRepo down = octohost.app("github-down");
        String sha = down.staticSite("deployed anyway").commit("v1");
        String secret = plant("webhook");
        addProject("down", "acme/down", down, "ghdown", secret, plant("ghtoken"));
        HttpResponse<String> accepted = hook.deliver("push", Webhook.push("acme/down", "master", sha, false), secret, Webhook.newDelivery());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = Json.parse(accepted.body()).path("id").asText();
        assertEquals("succeeded", awaitEnd("ghdown", id), log("ghdown", id));
        assertEquals("deployed anyway", octohost.get("ghdown").bodyText());
        awaitStatuses("acme/down", sha, 2); // GitHub answered 500 to the first; octod tried again
        Await.until("octod logs the failing status", Duration.ofSeconds(60),
                () -> octohost.octodLogTail(400).contains("to GitHub status of acme/down@" + sha.substring(0, 7) + " failed"));
        assertNoSecretsLogged();
    }

    @Test
    void wrongSecretNoSignatureAChangedByteOrAnUnknownRepoBuildNothingAndAReplayedDeliveryBuildsOnce() {
        AppRepo guarded = octohost.app("github-guarded");
        String sha = guarded.staticSite("guarded").commit("guarded");
        String secret = plant("webhook");
        addProject("guarded", "acme/guarded", guarded, "ghguarded", secret, plant("ghtoken"));
        byte[] push = Webhook.push("acme/guarded", "master", sha, false);

        assertRefused(401, hook.deliver("push", push, plant("wrong"), Webhook.newDelivery()));
        assertRefused(401, hook.send("push", push, null, Webhook.newDelivery()));
        byte[] changed = push.clone();
        int at = new String(push, StandardCharsets.UTF_8).indexOf("alice") + 1;
        changed[at] = (byte) 'm'; // "amice": one byte, still JSON
        assertRefused(401, hook.send("push", changed, Webhook.sign(secret, push), Webhook.newDelivery()));
        assertRefused(404, hook.deliver("push", Webhook.push("acme/nobody", "master", sha, false), secret, Webhook.newDelivery()));
        HttpResponse<String> malformed = hook.deliver("push", "{\"repository\": ".getBytes(StandardCharsets.UTF_8), secret, Webhook.newDelivery());
        assertRefused(400, malformed);
        assertEquals(1, malformed.body().lines().count(), malformed.body());
        assertIgnored(hook.deliver("push", Webhook.push("acme/guarded", "experiment", sha, false), secret, Webhook.newDelivery()), "not tracked");
        assertIgnored(hook.deliver("push", Webhook.push("acme/guarded", "refs/tags/v1", sha, false), secret, Webhook.newDelivery()), "not a branch");
        assertIgnored(hook.deliver("issues", Webhook.ping("acme/guarded"), secret, Webhook.newDelivery()), "'issues' builds nothing");
        HttpResponse<String> ping = hook.deliver("ping", Webhook.ping("acme/guarded"), secret, Webhook.newDelivery());
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals("pong", Json.parse(ping.body()).path("status").asText());
        assertFalse(Files.exists(octohost.dataDir().resolve("builds").resolve("ghguarded")), "no build was even recorded");
        assertEquals(404, api.call("GET", "/v1/apps/ghguarded", admin(), null).statusCode(), "no app");
        assertEquals(List.of(), github.statuses("acme/guarded"), "GitHub heard nothing");

        String delivery = Webhook.newDelivery();
        HttpResponse<String> first = hook.deliver("push", push, secret, delivery);
        assertEquals(202, first.statusCode(), first.body());
        String id = Json.parse(first.body()).path("id").asText();
        assertEquals("succeeded", awaitEnd("ghguarded", id), log("ghguarded", id));
        HttpResponse<String> again = hook.deliver("push", push, secret, delivery);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("done already", Json.parse(again.body()).path("status").asText());
        assertEquals(1, Json.elements(Json.parse(api.call("GET", "/v1/apps/ghguarded/builds", admin(), null).body())).size(),
                "the replayed delivery built nothing new");
        assertEquals("guarded", octohost.get("ghguarded").bodyText());
        // the deliveries seen are kept in the state: a redelivery after a crash builds nothing either
        octohost.kill9();
        octohost.restartOctod();
        HttpResponse<String> afterCrash = hook.deliver("push", push, secret, delivery);
        assertEquals(200, afterCrash.statusCode(), afterCrash.body());
        assertEquals(1, Json.elements(Json.parse(api.call("GET", "/v1/apps/ghguarded/builds", admin(), null).body())).size());
        assertNoSecretsLogged();
    }

    @Test
    void aPushToAFeatureBranchDeploysAppFeatureAndDeletingTheBranchRemovesIt() {
        AppRepo branchy = octohost.app("github-branchy");
        String main = branchy.staticSite("main site").commit("main");
        String secret = plant("webhook");
        addProject("branchy", "acme/branchy", branchy, "ghbranchy", secret, null, "--branch", "master", "--branch", "feature*");
        String mainBuild = Json.parse(hook.deliver("push", Webhook.push("acme/branchy", "master", main, false), secret,
                Webhook.newDelivery()).body()).path("id").asText();
        assertEquals("succeeded", awaitEnd("ghbranchy", mainBuild), log("ghbranchy", mainBuild));
        octohost.octo(null, "config:set", "ghbranchy", "INHERITED=from-main").orFail();

        // the feature's container writes the INHERITED it runs with where httpd serves it
        String feature = branchy.branch("feature").staticSite("feature site").dockerfile("FROM " + Octohost.BASE_IMAGE, "COPY www /www",
                "EXPOSE 80", "CMD [\"sh\", \"-c\", \"echo \\\"$INHERITED\\\" > /www/env.txt; trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]")
                .commit("feature");
        HttpResponse<String> accepted = hook.deliver("push", Webhook.push("acme/branchy", "feature", feature, false), secret, Webhook.newDelivery());
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals("ghbranchy-feature", Json.parse(accepted.body()).path("app").asText(), accepted.body());
        String id = Json.parse(accepted.body()).path("id").asText();
        assertEquals("succeeded", awaitEnd("ghbranchy-feature", id), log("ghbranchy-feature", id));
        assertEquals("feature site", octohost.get("ghbranchy-feature").bodyText());
        assertEquals("main site", octohost.get("ghbranchy").bodyText());
        assertEquals("from-main", octohost.get("ghbranchy-feature", "/env.txt").bodyText().strip(),
                "the branch app runs with the app's config, inherited as for a git push");
        assertEquals(List.of(), github.statuses("acme/branchy"), "no token: no commit statuses");

        HttpResponse<String> deleted = hook.deliver("push", Webhook.push("acme/branchy", "feature", Webhook.ZERO, true), secret,
                Webhook.newDelivery());
        assertEquals(202, deleted.statusCode(), deleted.body());
        assertEquals("removing", Json.parse(deleted.body()).path("status").asText(), deleted.body());
        Await.until("ghbranchy-feature is removed", Duration.ofSeconds(120),
                () -> api.call("GET", "/v1/apps/ghbranchy-feature", admin(), null).statusCode() == 404
                        && octohost.containers("ghbranchy-feature").isEmpty());
        assertEquals("main site", octohost.get("ghbranchy").bodyText());
        assertEquals(422, hook.deliver("push", Webhook.push("acme/branchy", "master", Webhook.ZERO, true), secret,
                Webhook.newDelivery()).statusCode(), "deleting the default branch does not destroy the app");
        assertEquals("main site", octohost.get("ghbranchy").bodyText());
    }

    @Test
    void projectsAreForAdminsOnlyOverOctoAndHttpAndTheirSecretsAreShownOnceAtMost() throws IOException {
        String deploy = api.token("tokens:create", "hooks-ci", "--role", "deploy");
        String body = "{\"name\": \"api-made\", \"repo\": \"acme/api-made\", \"url\": \"https://github.com/acme/api-made.git\", \"app\": \"apimade\"}";
        for (String[] call : new String[][] {{"GET", "/v1/projects"}, {"POST", "/v1/projects"}, {"GET", "/v1/projects/api-made"},
                {"PUT", "/v1/projects/api-made"}, {"DELETE", "/v1/projects/api-made"}}) {
            String sent = call[0].equals("POST") || call[0].equals("PUT") ? body : null;
            assertRefused(403, api.call(call[0], call[1], deploy, sent));
            assertRefused(401, api.call(call[0], call[1], null, sent));
        }
        HttpResponse<String> created = api.call("POST", "/v1/projects", admin(), body);
        assertEquals(201, created.statusCode(), created.body());
        String made = Json.parse(created.body()).path("secret").asText();
        assertEquals(64, made.length(), "a secret was made and shown once: " + created.body());
        HttpResponse<String> listed = api.call("GET", "/v1/projects", admin(), null);
        assertEquals(200, listed.statusCode());
        assertTrue(listed.body().contains("\"api-made\"") && listed.body().contains("\"secret_set\":true"), listed.body());
        HttpResponse<String> changed = api.call("PUT", "/v1/projects/api-made", admin(), "{\"branches\": [\"main\", \"release/*\"]}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(List.of("main", "release/*"), Json.strings(Json.parse(changed.body()).path("branches")));
        HttpResponse<String> one = api.call("GET", "/v1/projects/api-made", admin(), null);
        assertFalse(listed.body().contains(made) || one.body().contains(made) || changed.body().contains(made), one.body());
        assertRefused(409, api.call("POST", "/v1/projects", admin(), body));
        assertRefused(400, api.call("POST", "/v1/projects", admin(), body.replace("acme/api-made", "not a repo").replace("api-made\"", "other\"")));
        assertEquals(200, api.call("DELETE", "/v1/projects/api-made", admin(), null).statusCode());
        assertRefused(404, api.call("GET", "/v1/projects/api-made", admin(), null));

        // octo over the socket (the local admin) and over SSH with an admin key; a deploy key may not
        Proc.Result generated = octohost.octo(null, "projects:add", "cli-made", "--repo", "acme/cli-made", "--url",
                "https://github.com/acme/cli-made.git", "--app", "climade", "--branch", "main").orFail();
        String shown = generated.output().lines().filter(l -> l.startsWith("webhook secret (shown only now): ")).findFirst()
                .orElseThrow(() -> new AssertionError(generated.describe())).substring("webhook secret (shown only now): ".length());
        Proc.Result info = octohost.octo(null, "projects:info", "cli-made").orFail();
        assertTrue(info.output().contains("acme/cli-made") && info.output().contains("set"), info.describe());
        assertFalse(info.output().contains(shown), info.describe());
        Proc.Result viaSsh = octohost.ssh(octohost.adminKey(), Duration.ofSeconds(60), "git@127.0.0.1", "projects:list");
        assertTrue(viaSsh.ok() && viaSsh.output().contains("cli-made") && !viaSsh.output().contains(shown), viaSsh.describe());
        Proc.Result denied = octohost.ssh(octohost.addKey("hooks-deployer", "deploy"), Duration.ofSeconds(60), "git@127.0.0.1", "projects:list");
        assertFalse(denied.ok(), denied.describe());
        assertTrue(denied.output().contains("permission denied"), denied.describe());
        Proc.Result relative = octohost.octo(null, "projects:add", "rel", "--repo", "acme/rel", "--url", "https://github.com/acme/rel.git",
                "--app", "rel", "--secret-file", "secret.txt");
        assertFalse(relative.ok());
        assertEquals("error: --secret-file: give an absolute path (octod reads it on its host), or - for standard input", relative.trimmed());
        octohost.octo(null, "projects:remove", "cli-made").orFail();
        assertFalse(octohost.octo(null, "projects:list").orFail().output().contains("cli-made"));
    }

    // ---------------------------------------------------------------- shared steps

    /** {@code octo projects:add} with the secret (and the token, when given) in files only the test's user reads. */
    private void addProject(String name, String repo, AppRepo source, String app, String secret, String token, String... more) {
        List<String> args = new ArrayList<>(List.of("projects:add", name, "--repo", repo, "--url", "file://" + source.dir(),
                "--app", app, "--secret-file", file(name + "-secret", secret).toString()));
        if (token != null) {
            args.addAll(List.of("--github-token-file", file(name + "-token", token).toString()));
        }
        args.addAll(List.of(more));
        Proc.Result r = octohost.octo(null, args.toArray(String[]::new)).orFail();
        assertFalse(r.output().contains(secret) || token != null && r.output().contains(token), r.describe());
    }

    private Path file(String name, String content) {
        try {
            Path f = Files.createTempFile(secretFiles, name, "");
            Files.writeString(f, content + "\n");
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String plant(String what) {
        String s = Secrets.planted(what);
        planted.add(s);
        return s;
    }

    private String admin;

    private synchronized String admin() {
        if (admin == null) {
            admin = api.token("tokens:create", "hooks-admin-" + System.nanoTime());
        }
        return admin;
    }

    /** The build's status once it has ended; a first build's app is 404 until the build claims it. */
    private String awaitEnd(String app, String id) {
        return Await.until("build " + app + "/" + id + " ends", BUILD, () -> {
            HttpResponse<String> r = api.call("GET", "/v1/apps/" + app + "/builds/" + id, admin(), null);
            return r.statusCode() == 200 ? Json.parse(r.body()).path("status").asText() : r.body();
        }, BuildApi.ENDED::contains);
    }

    private String log(String app, String id) {
        return api.log(app, id, admin());
    }

    private static List<FakeGithub.Posted> awaitStatuses(String repo, String sha, int count) {
        return Await.until(count + " statuses of " + sha, Duration.ofSeconds(60), () -> github.statuses(repo, sha), s -> s.size() >= count);
    }

    private static void assertRefused(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"error\":"), r.body());
    }

    private static void assertIgnored(HttpResponse<String> r, String reason) {
        assertEquals(202, r.statusCode(), r.body());
        JsonNode body = Json.parse(r.body());
        assertEquals("ignored", body.path("status").asText(), r.body());
        assertTrue(body.path("reason").asText().contains(reason), r.body());
    }

    private void assertNoSecretsLogged() {
        try {
            String logText = Files.readString(octohost.octodLog());
            for (String s : planted) {
                assertFalse(logText.contains(s), "a secret in octod's log");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
