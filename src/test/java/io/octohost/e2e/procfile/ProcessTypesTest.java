package io.octohost.e2e.procfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, acceptance 5: a Procfile's process types. web (here the Procfile's own web command) is
 * served through nginx; a worker runs the same image with its command, unrouted, its output in
 * {@code octo logs}; {@code ps:scale} counts each type, and the counts survive a push and a
 * rollback, which brings back the earlier release's types; a worker that exits at once fails the
 * push and the running version keeps serving; destroy removes every type.
 */
@Tag("docker")
class ProcessTypesTest {
    private static final Duration LOGS = Duration.ofSeconds(60);

    @RegisterExtension
    static final Octohost octohost = Octohost.builder().readyTimeout(30).build();

    private static final String WEB = "web: trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\n";

    private static String worker(String marker) {
        return "worker: trap 'exit 0' TERM INT; while true; do echo " + marker + "; sleep 1 & wait; done\n";
    }

    @Test
    void aWebAndAWorkerRunScaleAndSurvivePushesAndRollbacks() {
        String app = "procs";
        String first = Content.unique("procs one");
        String marker = "marker-" + first.hashCode();
        AppRepo repo = octohost.app(app);
        repo.staticSite(first).write("Procfile", "# two types\n" + WEB + "\n" + worker(marker));
        repo.deploy("master", first);

        // web is served (deploy checked it); the worker runs, unrouted, and its lines are in octo logs, prefixed
        assertEquals(Map.of("web", 1, "worker", 1), running(app), this::ps);
        Matcher upstream = Pattern.compile("upstream octohost_" + app + " \\{([^}]*)\\}").matcher(octohost.routes());
        assertTrue(upstream.find(), octohost::routes);
        assertEquals(1, upstream.group(1).split("server ").length - 1, "nginx routes web only\n" + octohost.routes());
        String logs = Await.until("the worker's marker in octo logs", LOGS, () -> octo("logs", app).output(),
                out -> out.lines().anyMatch(l -> l.matches(app + "\\.worker\\.[a-z0-9]+\\.1\\| " + marker)));
        assertTrue(logs.contains(marker), logs);
        Proc.Result human = octo("ps", app).orFail();
        assertTrue(human.output().lines().anyMatch(l -> l.matches(app + "\\.worker\\.\\S+\\s+worker\\s+\\S+\\s+running\\s+-\\s*")),
                human::describe);

        // ps:scale by type: two of each
        Proc.Result scaled = octo("ps:scale", app, "web=2", "worker=2").orFail();
        assertTrue(scaled.output().contains(app + " runs web=2 worker=2"), scaled::describe);
        awaitOnlyRelease(app, 2);
        assertEquals(Map.of("web", 2, "worker", 2), running(app), this::ps);
        assertEquals(first, octohost.get(app).bodyText());

        // an unknown type is one line naming the app's types, and changes nothing
        Proc.Result unknown = octo("ps:scale", app, "mailer=1");
        assertEquals(1, unknown.exitCode(), unknown::describe);
        assertEquals(1, unknown.trimmed().lines().count(), unknown::describe);
        assertTrue(unknown.trimmed().endsWith("unknown process type 'mailer': the app's types are web, worker"), unknown::describe);
        assertEquals(Map.of("web", 2, "worker", 2), running(app), this::ps);

        // a new push keeps the counts
        String second = Content.unique("procs two");
        repo.staticSite(second);
        repo.deploy("master", second);
        awaitOnlyRelease(app, 3);
        assertEquals(Map.of("web", 2, "worker", 2), running(app), this::ps);

        // a push whose Procfile has no worker any more stops the workers
        String third = Content.unique("procs three");
        repo.staticSite(third).write("Procfile", WEB);
        repo.deploy("master", third);
        awaitOnlyRelease(app, 4);
        assertEquals(Map.of("web", 2), running(app), this::ps);

        // a rollback brings the previous release's types back, with the counts kept
        octo("rollback", app).orFail();
        assertEquals(second, octohost.get(app).bodyText());
        awaitOnlyRelease(app, 5);
        assertEquals(Map.of("web", 2, "worker", 2), running(app), this::ps);
        Await.until("the worker's marker in octo logs after the rollback", LOGS, () -> octo("logs", app, "--tail", "5").output(),
                out -> out.contains(marker));

        // a worker that exits at once fails the push: nothing switches, the running release keeps all its types
        String broken = Content.unique("procs broken");
        repo.staticSite(broken).write("Procfile", WEB + "worker: echo giving up; exit 3\n");
        repo.commit("a worker that exits");
        PushResult push = repo.push("master");
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("exited with code 3"), push::describe);
        assertTrue(push.output().contains("giving up"), push::describe);
        assertEquals(second, octohost.get(app).bodyText());
        awaitOnlyRelease(app, 5);
        assertEquals(Map.of("web", 2, "worker", 2), running(app), this::ps);

        // a malformed Procfile fails the build, naming its line
        repo.staticSite(broken).write("Procfile", WEB + "not a process line\n");
        repo.commit("a malformed Procfile");
        PushResult malformed = repo.push("master");
        assertNotEquals(0, malformed.exitCode(), malformed::describe);
        assertTrue(malformed.output().contains("Procfile line 2 is malformed (give 'type: command'): not a process line"),
                malformed::describe);
        assertEquals(second, octohost.get(app).bodyText());

        // destroy removes every type
        octo("apps:destroy", app, "--confirm", app).orFail();
        assertEquals(List.of(), octohost.awaitContainers(app, 0));
    }

    @Test
    void afterACrashOctodBringsEveryTypeBack() {
        String app = "procs-crash";
        String page = Content.unique("procs crash");
        AppRepo repo = octohost.app(app);
        repo.staticSite(page).write("Procfile", WEB + worker("crash-" + page.hashCode()));
        repo.deploy("master", page);
        octo("ps:scale", app, "worker=2").orFail();
        awaitOnlyRelease(app, 2);
        assertEquals(Map.of("web", 1, "worker", 2), running(app), this::ps);

        // octod dies, and its workers with it while it is down
        octohost.kill9();
        List<String> workers = Docker.containers("octohost.app=" + app, "octohost.process=worker",
                "octohost.instance=" + octohost.instanceId());
        assertEquals(2, workers.size(), workers::toString);
        Docker.removeContainers(workers);
        octohost.restartOctod();

        // back: every type of the release, at its count, and web served
        Await.until("web=1 worker=2 running again", Duration.ofSeconds(90), () -> running(app),
                types -> types.equals(Map.of("web", 1, "worker", 2)));
        assertEquals(page, octohost.get(app).bodyText());
    }

    /** Running containers of the app by process type, as {@code octo ps APP --json} lists them. */
    private static Map<String, Integer> running(String app) {
        Map<String, Integer> types = new TreeMap<>();
        for (JsonNode c : Json.elements(Json.parse(octo("ps", app, "--json").orFail().output()).get("containers"))) {
            if (c.get("state").asText().equals("running")) {
                types.merge(c.get("type").asText(), 1, Integer::sum);
            }
        }
        return types;
    }

    /** Waits until every container left is of the release (the replaced ones drain, then go). */
    private static void awaitOnlyRelease(String app, int release) {
        // one docker ps: a container may go between a listing and an inspect
        Await.until("only containers of v" + release + " of " + app, Duration.ofSeconds(60),
                () -> Proc.of("docker", "ps", "-a", "--filter", "label=octohost.app=" + app, "--filter",
                        "label=octohost.instance=" + octohost.instanceId(), "--format", "{{.Label \"octohost.release\"}}")
                        .timeout(Duration.ofSeconds(60)).run().orFail().output().lines().toList(),
                releases -> releases.stream().allMatch(r -> r.equals(Integer.toString(release))));
    }

    private String ps() {
        return octo("ps", "procs").describe();
    }

    private static Proc.Result octo(String... args) {
        return octohost.octo(null, args);
    }
}
