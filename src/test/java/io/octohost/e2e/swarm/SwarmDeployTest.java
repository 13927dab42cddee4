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

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, acceptance 1 and 3: with {@code --runner swarm} an app is a Swarm service on a real
 * one-node swarm, its image pulled from a real registry, its state in a real Consul: a push creates
 * the service and nginx serves it; {@code ps:scale 3} runs three tasks that nginx balances over (and
 * follows to the new port of a task Swarm restarted);
 * {@code logs} shows and follows the service's output; {@code config:set} rolls the service; a
 * rollback runs an earlier release without a build; destroy removes the service and its route.
 * The scenarios build on each other, in order, on one app.
 */
@Tag("swarm")
@Tag("docker")
@Tag("consul")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmDeployTest {
    @RegisterExtension
    @Order(1)
    static final SwarmSetup swarm = new SwarmSetup();

    @RegisterExtension
    @Order(2)
    static final Octohost octohost = swarm.octohost().build();

    private static final String APP = "sw-deploy";
    private static final Duration FOLLOW = Duration.ofSeconds(30);
    private static AppRepo repo;
    private static String firstPage;
    private static String firstTask;
    private static String firstImage;

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

    private static Proc.Result octo(String... args) {
        return octohost.octo(null, args);
    }

    private static String served() {
        Http.Response r = octohost.get(APP);
        assertEquals(200, r.status(), r::toString);
        return r.bodyText();
    }

    private static String info() {
        Http.Response r = octohost.get(APP, "/cgi-bin/info");
        assertEquals(200, r.status(), r::toString);
        return r.bodyText();
    }

    /** The host names of the tasks that answer through nginx, in nine requests (one nginx worker: round robin). */
    private static Set<String> answering() {
        Set<String> hosts = new TreeSet<>();
        for (int i = 0; i < 9; i++) {
            hosts.add(info().lines().filter(l -> l.startsWith("HOSTNAME=")).findFirst().orElseThrow().substring("HOSTNAME=".length()));
        }
        return hosts;
    }

    /** The upstream servers nginx has for the app, as host:port. */
    private static List<String> upstream() {
        Matcher m = Pattern.compile("upstream octohost_" + APP + " \\{([^}]*)\\}").matcher(octohost.routes());
        List<String> servers = new ArrayList<>();
        if (m.find()) {
            Matcher s = Pattern.compile("server (\\S+);").matcher(m.group(1));
            while (s.find()) servers.add(s.group(1));
        }
        return servers;
    }

    @Test
    @Order(1)
    void aPushCreatesAServiceOfTheRegistrysImageAndNginxServesIt() {
        repo = octohost.app(APP);
        firstPage = Content.unique("swarm v1");
        app(repo, firstPage).commit("v1");

        PushResult push = repo.push("master");

        assertEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("Pushing 127.0.0.1:"), push::describe);
        assertTrue(push.output().contains("created the Swarm service " + APP), push::describe);
        assertEquals(firstPage, served());
        assertEquals(APP + " 1 " + octohost.instanceId(), SwarmSetup.service(APP,
                "{{index .Spec.Labels \"octohost.app\"}} {{index .Spec.Labels \"octohost.release\"}} {{index .Spec.Labels \"octohost.instance\"}}"));
        firstImage = SwarmSetup.service(APP, "{{.Spec.TaskTemplate.ContainerSpec.Image}}");
        assertTrue(firstImage.matches("127\\.0\\.0\\.1:\\d+/" + APP + ":v1@sha256:[0-9a-f]{64}"), firstImage);
        assertEquals("host", SwarmSetup.service(APP, "{{(index .Spec.EndpointSpec.Ports 0).PublishMode}}"));
        List<String> tasks = SwarmSetup.runningTasks(APP);
        assertEquals(1, tasks.size(), tasks::toString);
        firstTask = tasks.get(0);
        assertEquals(1, upstream().size(), octohost::routes);
    }

    @Test
    @Order(2)
    void scaledToThreeItRunsThreeTasksAndNginxBalancesOverThem() {
        Proc.Result scale = octo("ps:scale", APP, "3").orFail();

        assertTrue(scale.output().contains("1 -> 3 tasks"), scale::describe);
        List<String> tasks = SwarmSetup.runningTasks(APP);
        assertEquals(3, tasks.size(), tasks::toString);
        assertTrue(tasks.contains(firstTask), "a scale keeps the running task: " + tasks);
        assertEquals(3, new TreeSet<>(upstream()).size(), octohost::routes);
        assertEquals(3, answering().size());
        assertEquals(firstPage, served());
        // octo ps lists the tasks with their node
        String node = Proc.of("docker", "info", "--format", "{{.Name}}").timeout(Duration.ofSeconds(30)).run().orFail().trimmed();
        Proc.Result ps = octo("ps", APP).orFail();
        assertEquals(3, ps.output().lines().filter(l -> l.contains("state=running") && l.contains("node=" + node)).count(), ps::describe);
    }

    @Test
    @Order(3)
    void aTaskThatDiesIsReplacedBySwarmAndNginxFollowsItsNewPort() {
        List<String> before = upstream();
        String container = Docker.containers("com.docker.swarm.service.name=" + APP).get(0);
        String port = Proc.of("docker", "port", container, "80/tcp").timeout(Duration.ofSeconds(30)).run().orFail()
                .output().lines().findFirst().orElseThrow().replaceFirst(".*:", "");

        Proc.of("docker", "kill", container).timeout(Duration.ofSeconds(30)).run().orFail();

        // octod checks every --reconcile-interval (1 s here) that nginx routes the tasks Swarm runs
        List<String> after = Await.until("nginx routes three running tasks again, without port " + port, Duration.ofSeconds(60),
                SwarmDeployTest::upstream, u -> u.size() == 3 && u.stream().noneMatch(s -> s.endsWith(":" + port))
                        && SwarmSetup.runningTasks(APP).size() == 3);
        assertNotEquals(before, after);
        assertEquals(3, answering().size());
    }

    @Test
    @Order(4)
    void logsShowAndFollowTheServicesOutput() {
        Proc.Result logs = octo("logs", APP, "--tail", "20").orFail();
        for (String host : answering()) assertTrue(logs.output().contains("booted " + host), () -> host + " not in\n" + logs.describe());

        // logs -f has attached once a request made after it started shows up in what it prints
        String marker = "/follow-" + java.util.UUID.randomUUID();
        Streaming follow = octohost.startOcto("logs", APP, "-f", "--tail", "0");
        Await.until("octo logs -f prints a request to " + marker, FOLLOW, () -> {
            assertEquals(404, octohost.get(APP, marker).status());
            return follow.output().contains(marker);
        });
        assertEquals(-1, follow.waitFor(Duration.ZERO), () -> "logs -f ended by itself:\n" + follow.describe());
    }

    @Test
    @Order(5)
    void configSetRollsTheServiceTaskByTask() {
        List<String> before = SwarmSetup.runningTasks(APP);

        Proc.Result set = octo("config:set", APP, "GREETING=hello-swarm").orFail();

        assertTrue(set.output().contains("updating the Swarm service " + APP), set::describe);
        List<String> after = SwarmSetup.runningTasks(APP);
        assertEquals(3, after.size(), after::toString);
        assertTrue(after.stream().noneMatch(before::contains), "every task was replaced: " + before + " -> " + after);
        for (int i = 0; i < 6; i++) assertTrue(info().contains("GREETING=hello-swarm"), "a task without the new config answered");
        assertEquals(firstPage, served());
    }

    @Test
    @Order(6)
    void aRollbackRunsTheEarlierReleasesImageWithoutABuild() {
        String second = Content.unique("swarm v2");
        app(repo, second).commit("v2");
        PushResult push = repo.push("master");
        assertEquals(0, push.exitCode(), push::describe);
        assertEquals(second, served());
        assertNotEquals(firstImage, SwarmSetup.service(APP, "{{.Spec.TaskTemplate.ContainerSpec.Image}}"));

        // v1 push, v2 scale, v3 config:set, v4 push: the rollback goes to v3, the first image with GREETING
        Proc.Result back = octo("rollback", APP).orFail();

        assertFalse(back.output().contains("Building") || back.output().contains("Step 1/"), back::describe);
        assertTrue(back.output().contains("Rolling back " + APP + " to v3"), back::describe);
        assertEquals(firstPage, served());
        assertTrue(info().contains("GREETING=hello-swarm"), "the rollback runs v3's config");
        assertEquals(firstImage, SwarmSetup.service(APP, "{{.Spec.TaskTemplate.ContainerSpec.Image}}"));
        assertEquals("5", SwarmSetup.service(APP, "{{index .Spec.Labels \"octohost.release\"}}"));
        assertEquals(3, SwarmSetup.runningTasks(APP).size());
    }

    @Test
    @Order(7)
    void destroyRemovesTheServiceAndItsRoute() {
        Proc.Result destroy = octo("apps:destroy", APP, "--confirm", APP).orFail();

        assertFalse(SwarmSetup.serviceExists(APP), destroy::describe);
        assertFalse(octohost.routes().contains("octohost_" + APP), octohost::routes);
        assertEquals(404, octohost.get(APP).status());
        Await.until("the tasks' containers of " + APP + " go", Duration.ofSeconds(30),
                () -> Docker.containers("com.docker.swarm.service.name=" + APP), List::isEmpty);
    }
}
