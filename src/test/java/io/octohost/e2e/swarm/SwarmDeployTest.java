package io.octohost.e2e.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Docker;
import io.octohost.e2e.Http;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Streaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, acceptance 1 and 3: with {@code --runner swarm} an app is a Swarm service on a real
 * one-node swarm, its image pulled from a real registry, its state in a real Consul. One app: a push
 * creates the service and nginx serves it; {@code ps:scale 3} runs three tasks that nginx balances
 * over (and follows to the new port of a task Swarm restarted); {@code logs} shows and follows the
 * service's output. Another: {@code config:set} rolls the service (and places it with
 * {@code SWARM_CONSTRAINTS}); a rollback runs an earlier release without a build; destroy removes the
 * service and its route.
 */
@Tag("swarm")
@Tag("docker")
@Tag("consul")
class SwarmDeployTest {
    @RegisterExtension
    @Order(1)
    static final SwarmSetup swarm = new SwarmSetup();

    @RegisterExtension
    @Order(2)
    static final Octohost octohost = swarm.octohost().build();

    private static final Duration FOLLOW = Duration.ofSeconds(30);

    /**
     * busybox httpd behind docker-init, saying "booted HOSTNAME" at start and logging each request
     * (-vv); {@code /cgi-bin/info} prints the answering task's HOSTNAME and GREETING.
     */
    static AppRepo app(AppRepo repo, String page) {
        repo.write("www/index.html", page);
        repo.write("www/cgi-bin/info", "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                + "tr '\\000' '\\n' < /proc/1/environ | grep -E '^(HOSTNAME|GREETING)=' | sort\n");
        try {
            Files.setPosixFilePermissions(repo.dir().resolve("www/cgi-bin/info"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repo.dockerfile("FROM octohost/busybox:latest", "COPY www /www", "EXPOSE 80",
                "CMD [\"sh\", \"-c\", \"echo booted $(hostname); exec httpd -f -vv -p 80 -h /www\"]");
    }

    /** Pushes {@code page} as the app's first release and checks that it is a service of the registry's image; returns the image. */
    private static String created(AppRepo repo, String page) {
        String app = repo.remotePath();
        app(repo, page).commit("v1");

        PushResult push = repo.push("master");

        assertEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("Pushing 127.0.0.1:"), push::describe);
        assertTrue(push.output().contains("created the Swarm service " + app), push::describe);
        assertEquals(page, octohost.served(app));
        assertEquals(app + " 1 " + octohost.instanceId(), SwarmSetup.service(app,
                "{{index .Spec.Labels \"octohost.app\"}} {{index .Spec.Labels \"octohost.release\"}} {{index .Spec.Labels \"octohost.instance\"}}"));
        String image = image(app);
        assertTrue(image.matches("127\\.0\\.0\\.1:\\d+/" + app + ":v1@sha256:[0-9a-f]{64}"), image);
        assertEquals("host", SwarmSetup.service(app, "{{(index .Spec.EndpointSpec.Ports 0).PublishMode}}"));
        assertEquals(1, SwarmSetup.runningTasks(app).size());
        assertEquals(1, upstream(app).size(), octohost::routes);
        return image;
    }

    private static String image(String app) {
        return SwarmSetup.service(app, "{{.Spec.TaskTemplate.ContainerSpec.Image}}");
    }

    private static Proc.Result octo(String... args) {
        return octohost.octo(null, args);
    }

    private static String info(String app) {
        Http.Response r = octohost.get(app, "/cgi-bin/info");
        assertEquals(200, r.status(), r::toString);
        return r.bodyText();
    }

    /** The host names of the tasks that answer through nginx, in nine requests (one nginx worker: round robin). */
    private static Set<String> answering(String app) {
        Set<String> hosts = new TreeSet<>();
        for (int i = 0; i < 9; i++) {
            hosts.add(info(app).lines().filter(l -> l.startsWith("HOSTNAME=")).findFirst().orElseThrow().substring("HOSTNAME=".length()));
        }
        return hosts;
    }

    /** The upstream servers nginx has for the app, as host:port. */
    private static List<String> upstream(String app) {
        Matcher m = Pattern.compile("upstream octohost_" + app + " \\{([^}]*)\\}").matcher(octohost.routes());
        List<String> servers = new ArrayList<>();
        if (m.find()) {
            Matcher s = Pattern.compile("server (\\S+);").matcher(m.group(1));
            while (s.find()) servers.add(s.group(1));
        }
        return servers;
    }

    @Test
    void aPushedServiceScalesToThreeTasksThatNginxBalancesOverAndFollowsAndLogsShowThem() {
        String app = "sw-scale";
        String page = Content.unique("swarm scale");
        created(octohost.app(app), page);
        String firstTask = SwarmSetup.runningTasks(app).get(0);

        // ps:scale 3: three tasks, the first one kept, and nginx balances over them
        Proc.Result scale = octo("ps:scale", app, "3").orFail();

        assertTrue(scale.output().contains("1 -> 3 tasks"), scale::describe);
        List<String> tasks = SwarmSetup.runningTasks(app);
        assertEquals(3, tasks.size(), tasks::toString);
        assertTrue(tasks.contains(firstTask), "a scale keeps the running task: " + tasks);
        assertEquals(3, new TreeSet<>(upstream(app)).size(), octohost::routes);
        assertEquals(3, answering(app).size());
        assertEquals(page, octohost.served(app));
        // octo ps lists the tasks with their node
        String node = Proc.of("docker", "info", "--format", "{{.Name}}").timeout(Duration.ofSeconds(30)).run().orFail().trimmed();
        Proc.Result ps = octo("ps", app).orFail();
        assertEquals(3, ps.output().lines().filter(l -> l.matches(".* running .*") && l.endsWith("  " + node)).count(), ps::describe);

        // a task that dies is replaced by Swarm on another port: octod checks every --reconcile-interval
        // (1 s here) that nginx routes the tasks Swarm runs
        List<String> before = upstream(app);
        String container = Docker.containers("com.docker.swarm.service.name=" + app).get(0);
        String port = Proc.of("docker", "port", container, "80/tcp").timeout(Duration.ofSeconds(30)).run().orFail()
                .output().lines().findFirst().orElseThrow().replaceFirst(".*:", "");
        Proc.of("docker", "kill", container).timeout(Duration.ofSeconds(30)).run().orFail();
        List<String> after = Await.until("nginx routes three running tasks again, without port " + port, Duration.ofSeconds(60),
                () -> upstream(app), u -> u.size() == 3 && u.stream().noneMatch(s -> s.endsWith(":" + port))
                        && SwarmSetup.runningTasks(app).size() == 3);
        assertNotEquals(before, after);
        // nginx loads the file it was given a moment after it is written
        Set<String> hosts = Await.until("three tasks answering through nginx", Duration.ofSeconds(30),
                () -> answering(app), h -> h.size() == 3);

        // logs: every task's output, then followed
        Proc.Result logs = octo("logs", app, "--tail", "20").orFail();
        for (String host : hosts) assertTrue(logs.output().contains("booted " + host), () -> host + " not in\n" + logs.describe());
        // logs -f has attached once a request made after it started shows up in what it prints
        String marker = "/follow-" + java.util.UUID.randomUUID();
        Streaming follow = octohost.startOcto("logs", app, "-f", "--tail", "0");
        Await.until("octo logs -f prints a request to " + marker, FOLLOW, () -> {
            assertEquals(404, octohost.get(app, marker).status());
            return follow.output().contains(marker);
        });
        assertEquals(-1, follow.waitFor(Duration.ZERO), () -> "logs -f ended by itself:\n" + follow.describe());
    }

    @Test
    void aServiceRollsOnConfigRollsBackWithoutABuildAndIsDestroyedWithItsRoute() {
        String app = "sw-roll";
        AppRepo repo = octohost.app(app);
        String firstPage = Content.unique("swarm roll v1");
        String firstImage = created(repo, firstPage);

        // a constraint Swarm would not take is refused in one line, and nothing changes
        List<String> before = SwarmSetup.runningTasks(app);
        Proc.Result bad = octo("config:set", app, "SWARM_CONSTRAINTS=node.role=manager");
        assertNotEquals(0, bad.exitCode(), bad::describe);
        assertTrue(bad.output().contains("invalid SWARM_CONSTRAINTS entry 'node.role=manager'"), bad::describe);
        assertFalse(octo("config", app).orFail().output().contains("SWARM_CONSTRAINTS"));
        assertEquals(before, SwarmSetup.runningTasks(app));

        // config:set rolls the service: a new task with the new environment, placed by SWARM_CONSTRAINTS
        Proc.Result set = octo("config:set", app, "GREETING=hello-swarm", "SWARM_CONSTRAINTS=node.role==manager").orFail();

        assertTrue(set.output().contains("updating the Swarm service " + app), set::describe);
        List<String> after = SwarmSetup.runningTasks(app);
        assertEquals(1, after.size(), after::toString);
        assertTrue(after.stream().noneMatch(before::contains), "the task was replaced: " + before + " -> " + after);
        assertTrue(info(app).contains("GREETING=hello-swarm"), "the task has the new config");
        assertEquals("[node.role==manager]", SwarmSetup.service(app, "{{.Spec.TaskTemplate.Placement.Constraints}}"));
        assertEquals(firstPage, octohost.served(app));

        // a new build, then a rollback: v1 push, v2 config:set, v3 push; the rollback goes to v2's image and config
        String second = Content.unique("swarm roll v3");
        app(repo, second).commit("v3");
        PushResult push = repo.push("master");
        assertEquals(0, push.exitCode(), push::describe);
        assertEquals(second, octohost.served(app));
        assertNotEquals(firstImage, image(app));

        Proc.Result back = octo("rollback", app).orFail();

        assertFalse(back.output().contains("Building") || back.output().contains("Step 1/"), back::describe);
        assertTrue(back.output().contains("Rolling back " + app + " to v2"), back::describe);
        assertEquals(firstPage, octohost.served(app));
        assertTrue(info(app).contains("GREETING=hello-swarm"), "the rollback runs v2's config");
        assertEquals(firstImage, image(app));
        assertEquals("4", SwarmSetup.service(app, "{{index .Spec.Labels \"octohost.release\"}}"));
        assertEquals(1, SwarmSetup.runningTasks(app).size());

        // destroy: the service and its route go, then Swarm removes the tasks' containers
        Proc.Result destroy = octo("apps:destroy", app, "--confirm", app).orFail();

        assertFalse(SwarmSetup.serviceExists(app), destroy::describe);
        assertFalse(octohost.routes().contains("octohost_" + app), octohost::routes);
        assertEquals(404, octohost.get(app).status());
        Await.until("the tasks' containers of " + app + " go", Duration.ofSeconds(30),
                () -> Docker.containers("com.docker.swarm.service.name=" + app), List::isEmpty);
    }
}
