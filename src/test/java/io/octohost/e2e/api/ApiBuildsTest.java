package io.octohost.e2e.api;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Secrets;
import io.octohost.e2e.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, acceptance 1 and 5, and the permission rules of builds: builds asked for over the HTTP
 * API of a real octod go through the same pipeline as a push (a tarball served by a real HTTP server,
 * a git repository at a ref), report their statuses and stream their logs to a real receiver, and
 * each bad request gets its status code and starts nothing.
 */
@Tag("docker")
class ApiBuildsTest {
    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(120);
    /** A static site that takes a moment to build, and bakes two build args into a page. */
    private static final String DOCKERFILE = String.join("\n",
            "FROM octohost/busybox:latest",
            "ARG GREETING=unset",
            "ARG WHO=unset",
            "COPY www /www",
            "RUN echo building a while && sleep 2 && echo \"$GREETING $WHO\" > /www/args.txt",
            "EXPOSE 80",
            "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]",
            "");

    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    @RegisterExtension
    static final ApiScenario scenario = new ApiScenario(octohost);
    private final CallbackReceiver receiver = scenario.receiver();
    private final BuildApi api = scenario.api();
    private final String admin = scenario.admin();

    @Test
    void aTarballAndAGitRepositoryAtARefEachDeployWithTheirStatusesInOrderAndTheirLogStreamedWhileTheyRun() {
        AppRepo hello = octohost.deployed("hello", Content.unique("hello v1"));
        assertEquals(0, octohost.octo(null, "config:set", "hello", "EXTRA_BUILD_ARGS=GREETING=hi WHO=config", "--no-restart").exitCode());

        // a tarball of v2 (not pushed), served by a real HTTP server that wants basic auth
        String v2 = Content.unique("hello v2 from a tarball");
        hello.write("Dockerfile", DOCKERFILE).write("www/index.html", v2).commit("v2");
        String sourcePassword = Secrets.planted("tarball");
        String hookToken = Secrets.planted("hook");
        String logsPassword = Secrets.planted("logs");
        String source = receiver.serve("hello-v2.tar.gz", hello.tarball("hello-v2"), "fetcher", sourcePassword);
        String body = "{\"webhooks\": {\"status\": " + BuildApi.quote(receiver.url(hookToken, "/status/t1"))
                + ", \"logs\": [" + BuildApi.quote(receiver.url("user:" + logsPassword, "/logs/t1")) + "]},"
                + " \"metadata\": {\"deploy\": \"t1\"}, \"human_readable_info\": \"Build #1\","
                + " \"arguments\": {\"WHO\": \"api\"}, \"source\": {\"url\": " + BuildApi.quote(source) + "}}";
        HttpResponse<String> accepted = api.call("POST", "/v1/shuttle/hello/t1", admin, body);
        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals("{\"status\":\"OK\"}", accepted.body());

        Map<String, Object> t1 = api.awaitEnd("hello", "t1", admin, BUILD_TIMEOUT);
        assertEquals("succeeded", t1.get("status"), () -> t1 + "\n" + api.log("hello", "t1", admin));
        assertEquals(v2, octohost.served("hello", "/"));
        assertEquals("hi api\n", octohost.served("hello", "/args.txt"), "the build's arguments go over the app's EXTRA_BUILD_ARGS");
        assertEquals(List.of("/files/hello-v2.tar.gz"), receiver.downloads());
        assertEquals("fetcher:" + sourcePassword, receiver.authOf("/files/hello-v2.tar.gz"));
        assertEquals("api", t1.get("trigger"));
        assertEquals("ops", t1.get("by"));
        assertEquals(receiver.url(null, "/files/hello-v2.tar.gz"), t1.get("source"), "the source is shown without credentials");
        assertFalse(api.log("hello", "t1", admin).contains(sourcePassword), "the source's password in the build log");
        assertFalse(octohost.octodLogTail(100_000).contains(sourcePassword), "the source's password in octod's log");
        assertEquals("v2", t1.get("release"));
        assertEquals("Build #1", t1.get("info"));

        // the status receiver got the four statuses in order, each with the metadata as its id
        List<String> statuses = Await.until("four statuses", Duration.ofSeconds(30), () -> receiver.statuses("t1"), s -> s.size() >= 4);
        assertEquals(List.of("pending", "queued", "building", "succeeded"), statuses);
        Map<String, Object> building = Json.object(Json.parse(receiver.statusBodies("t1").get(2).text()));
        assertEquals(Map.of("deploy", "t1"), building.get("id"));
        assertEquals("octohost", building.get("type"));
        assertEquals(true, building.get("building"));
        assertEquals(false, Json.object(Json.parse(receiver.statusBodies("t1").get(3).text())).get("building"));
        assertEquals(hookToken + ":", receiver.authOf("/status/t1"));

        // the log receiver had lines while the build ran: long before the end came
        Long logEnd = Await.until("the log stream ends", Duration.ofSeconds(30), () -> receiver.logEnd("t1"), e -> e != null);
        List<CallbackReceiver.Received> lines = receiver.logLines("t1");
        long succeededAt = receiver.statusBodies("t1").get(3).nanos();
        assertTrue(lines.stream().anyMatch(l -> l.text().contains("building a while")), lines::toString);
        CallbackReceiver.Received first = lines.get(0);
        assertTrue(succeededAt - first.nanos() > Duration.ofSeconds(1).toNanos(), () -> "the first log line came "
                + (succeededAt - first.nanos()) / 1_000_000 + " ms before 'succeeded': " + lines);
        assertTrue(logEnd - first.nanos() > Duration.ofSeconds(1).toNanos(), "the log was not streamed");
        assertEquals("user:" + logsPassword, receiver.authOf("/logs/t1"));
        String log = api.log("hello", "t1", admin);
        assertTrue(log.contains("-----> Building hello") && log.contains("hello v2 is live") && log.contains("build succeeded"), log);
        assertEquals(log.strip(), String.join("\n", lines.stream().map(CallbackReceiver.Received::text).toList()).strip(),
                "the log receiver got the whole log");

        // seed 004's status and log endpoints
        HttpResponse<String> status = api.call("GET", "/v1/shuttle/hello/t1/status", admin, null);
        assertEquals("{\"id\":{\"deploy\":\"t1\"},\"type\":\"octohost\",\"building\":false,\"status\":\"succeeded\"}", status.body());
        HttpResponse<String> plain = api.call("GET", "/v1/shuttle/hello/t1/logs", admin, null);
        assertTrue(plain.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), plain.headers().toString());
        assertEquals(log, plain.body());

        // a git repository at a ref, octod's own shape of the API (the id is octod's)
        String v3 = Content.unique("hello v3 from git");
        String sha = hello.write("www/index.html", v3).commit("v3");
        hello.branch("release-3");
        hello.write("www/index.html", Content.unique("not this one")).commit("later");
        String id = scenario.build("hello", "git+file://" + hello.dir() + "#" + sha);
        Map<String, Object> byGit = api.awaitEnd("hello", id, admin, BUILD_TIMEOUT);
        assertEquals("succeeded", byGit.get("status"), () -> byGit + "\n" + api.log("hello", id, admin));
        assertEquals(v3, octohost.served("hello", "/"));
        assertEquals("hi config\n", octohost.served("hello", "/args.txt"), "the app's EXTRA_BUILD_ARGS alone");
        Map<String, Object> app = Json.object(Json.parse(api.call("GET", "/v1/apps/hello", admin, null).body()));
        assertEquals(sha, app.get("commit"), "the release names the commit it built");
        assertEquals("v3", app.get("release"));

        // a branch name is a ref too, of a repository served over HTTP with basic auth (git's dumb protocol);
        // the build records list both, newest first, beside the push
        String gitPassword = Secrets.planted("git");
        String byBranch = scenario.build("hello", "git+" + receiver.serveRepo("hello", hello.dir(), "fetcher", gitPassword) + "#release-3");
        assertEquals("succeeded", api.awaitEnd("hello", byBranch, admin, BUILD_TIMEOUT).get("status"));
        assertTrue(octohost.served("hello", "/").startsWith("not this one"));
        assertEquals("fetcher:" + gitPassword, receiver.authOf("/repos/hello.git/info/refs"));
        assertFalse(api.log("hello", byBranch, admin).contains(gitPassword) || octohost.octodLogTail(100_000).contains(gitPassword),
                "the repository's password in a log");
        List<Map<String, Object>> all = api.builds("hello", admin);
        assertEquals(List.of(byBranch, id, "t1"), all.subList(0, 3).stream().map(b -> b.get("id")).toList());
        assertEquals("git-push", all.get(3).get("trigger"));
        assertTrue(octohost.buildContainers("hello").isEmpty(), "a build container was left behind");
    }

    @Test
    void eachBadRequestGetsItsStatusAndStartsNothing() {
        octohost.deployed("quiet", Content.unique("quiet v1"));
        String good = "{\"source\": {\"url\": " + BuildApi.quote(scenario.site("quiet", Content.unique("quiet v2"))) + "}}";
        String otherApps = api.token("tokens:create", "hello-ci", "--role", "deploy", "--app", "hello");
        List<String> containers = Docker.containers("octohost.instance=" + octohost.instanceId());
        List<Map<String, Object>> builds = api.builds("quiet", admin);

        assertError(401, "authentication required", api.call("POST", "/v1/shuttle/quiet/b1", null, good));
        assertError(401, "authentication required", api.call("POST", "/v1/shuttle/quiet/b1", admin.substring(0, 20) + "x".repeat(27), good));
        assertError(403, "permission denied: token 'hello-ci' may not build app 'quiet'", api.call("POST", "/v1/shuttle/quiet/b1", otherApps, good));
        assertError(403, "permission denied", api.call("POST", "/v1/apps/quiet/builds", otherApps, good));
        assertError(400, "the body is not JSON", api.call("POST", "/v1/shuttle/quiet/b1", admin, "{\"source\": "));
        assertError(400, "source.url: missing", api.call("POST", "/v1/shuttle/quiet/b1", admin, "{\"metadata\": 1}"));
        assertError(400, "source.url: 'ftp://x/y.tar' is not", api.call("POST", "/v1/shuttle/quiet/b1", admin,
                "{\"source\": {\"url\": \"ftp://x/y.tar\"}}"));
        assertError(400, "webhooks.status: 'mailto:x@y' is not", api.call("POST", "/v1/shuttle/quiet/b1", admin,
                "{\"source\": {\"url\": \"https://x/y.tar\"}, \"webhooks\": {\"status\": \"mailto:x@y\"}}"));
        assertError(400, "build_id: invalid build id", api.call("POST", "/v1/shuttle/quiet/-bad", admin, good));
        assertError(404, "unknown app 'nope'", api.call("POST", "/v1/shuttle/nope/b1", admin, good));
        assertError(404, "unknown app 'nope'", api.call("POST", "/v1/apps/nope/builds", admin, good));
        assertEquals(builds, api.builds("quiet", admin), "no build was recorded");
        assertEquals(containers, Docker.containers("octohost.instance=" + octohost.instanceId()), "a container was started");
        assertTrue(octohost.buildContainers("quiet").isEmpty());

        // an id used before: 409, and the first build stays as it was
        assertEquals(200, api.call("POST", "/v1/shuttle/quiet/same", admin, good).statusCode());
        Map<String, Object> first = api.awaitEnd("quiet", "same", admin, BUILD_TIMEOUT);
        assertEquals("succeeded", first.get("status"), () -> api.log("quiet", "same", admin));
        assertError(409, "a build 'same' of quiet exists already", api.call("POST", "/v1/shuttle/quiet/same", admin, good));
        assertEquals(first, api.build("quiet", "same", admin));
        assertEquals(1, receiver.downloads().stream().filter(d -> d.equals("/files/quiet.tar.gz")).count(), "the source was fetched again");
    }

    @Test
    void aDeployTokenStartsCancelsAndReadsTheBuildsOfItsAppsOnlyAndAnAdminTokenAllApps() {
        octohost.deployed("mine", Content.unique("mine v1"));
        octohost.deployed("theirs", Content.unique("theirs v1"));
        String ci = api.token("tokens:create", "mine-ci", "--role", "deploy", "--app", "mine");
        String good = "{\"source\": {\"url\": " + BuildApi.quote(scenario.site("mine", Content.unique("mine v2"))) + "}}";

        // its own app: start, read, follow the log, and cancel (a build that ended: 422, not 403)
        assertEquals(200, api.call("POST", "/v1/shuttle/mine/m1", ci, good).statusCode());
        assertEquals("succeeded", api.awaitEnd("mine", "m1", ci, BUILD_TIMEOUT).get("status"));
        assertTrue(api.log("mine", "m1", ci).contains("mine v2 is live"));
        HttpResponse<String> follow = api.call("GET", "/v1/apps/mine/builds/m1/log?follow=1", ci, null);
        assertEquals(200, follow.statusCode());
        assertEquals(200, api.call("GET", "/v1/shuttle/mine/m1/status", ci, null).statusCode());
        assertError(422, "build 'm1' of mine is not running", api.call("DELETE", "/v1/shuttle/mine/m1", ci, null));
        Proc.Result cli = octohost.octo(null, "builds:cancel", "mine", "m1");
        assertTrue(cli.exitCode() == 1 && cli.output().contains("error: build 'm1' of mine is not running"), cli::describe);

        // another app: 403 for each, and nothing started
        assertError(403, "permission denied: token 'mine-ci' may not build app 'theirs'", api.call("POST", "/v1/shuttle/theirs/t1", ci, good));
        assertError(403, "permission denied: token 'mine-ci' may not build app 'theirs'", api.call("DELETE", "/v1/shuttle/theirs/t1", ci, null));
        assertError(403, "permission denied: token 'mine-ci' may not read app 'theirs'", api.call("GET", "/v1/apps/theirs/builds", ci, null));
        assertError(403, "permission denied", api.call("GET", "/v1/shuttle/theirs/t1/logs", ci, null));
        assertError(403, "permission denied", api.call("GET", "/v1/apps/theirs/builds/t1/log?follow=1", ci, null));
        assertError(403, "permission denied: token 'mine-ci' may not build from a repository on octod's host", api.call("POST",
                "/v1/apps/mine/builds", ci, "{\"source\": {\"url\": \"git+file:///etc#HEAD\"}}"));
        assertEquals(List.of(), api.builds("theirs", admin).stream().filter(b -> "api".equals(b.get("trigger"))).toList());

        // an admin token: every app
        assertEquals(200, api.call("POST", "/v1/shuttle/theirs/a1", admin, good).statusCode());
        assertEquals("succeeded", api.awaitEnd("theirs", "a1", admin, BUILD_TIMEOUT).get("status"));
        assertEquals(200, api.call("GET", "/v1/shuttle/theirs/a1/logs", admin, null).statusCode());
        assertError(422, "build 'a1' of theirs is not running", api.call("DELETE", "/v1/apps/theirs/builds/a1", admin, null));
    }

    private static void assertError(int status, String start, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        String error = Json.parse(r.body()).path("error").asText();
        assertTrue(error.startsWith(start), () -> "expected '" + start + "...', got '" + error + "'");
        assertFalse(error.contains("oct_"), "a token in an error");
    }
}
