package io.octohost.e2e.consul;

import io.octohost.e2e.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, acceptance 4: with the agent stopped, a push and a config:set fail cleanly and the running
 * app still serves; started again, octod recovers without a restart and registers the services again.
 * The agent is a one-node server with a data dir, so its KV survives the restart as a real one's does;
 * its own copy of the registered services is wiped while it is down, so re-registering is octod's work.
 */
@Tag("docker")
@Tag("consul")
class ConsulOutageTest {
    @RegisterExtension
    @Order(1)
    static final ConsulAgent consul = ConsulAgent.create(true);

    @RegisterExtension
    @Order(2)
    static final Octohost octohost = Octohost.builder().extraArgs(consul.octodArgs()).build();

    @Test
    void withConsulDownCommandsFailCleanlyTheAppServesAndOctodRecovers() {
        // given app cdown, served and registered
        String app = "cdown";
        String v1 = Content.unique("cdown v1");
        AppRepo repo = octohost.deployed(app, v1);
        String sha1 = repo.head();
        Await.until("catalog lists " + app, Duration.ofSeconds(10), () -> consul.catalogService(app), l -> l.size() == 1);
        long pid = octohost.octodProcess().pid();

        // when the agent stops
        consul.stop();

        // then a push fails cleanly, with the reason: octod still knows the keys it read last, so the
        // pusher gets in and the push is rejected with the store's error.
        String v2 = Content.unique("cdown v2");
        String sha2 = repo.staticSite(v2).commit("v2");
        PushResult push = repo.push("master");
        assertNotEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("state store unavailable"), push::describe);
        assertTrue(logLines("state store unavailable: cannot reach Consul at " + consul.url()) >= 1, octohost.octodLogTail(20));

        // and a config:set fails with a one-line error and exit code 1
        Proc.Result set = octohost.octo(null, "config:set", app, "GREETING=hi");
        assertEquals(1, set.exitCode(), set::describe);
        assertEquals("error: state store unavailable: cannot reach Consul at " + consul.url(),
                set.trimmed().replaceFirst(" \\(.*\\)$", ""), set::describe);
        assertEquals(1, set.trimmed().lines().count(), set::describe);

        // and the running version keeps serving
        assertEquals(v1, octohost.get(app).bodyText());
        assertEquals(1, octohost.containers(app).size());

        // and octod said once that Consul is down, not once per retry: something that does not happen takes a while to show
        Await.sleep(Duration.ofSeconds(3));
        assertEquals(1, logLines("octod keeps serving and retries with backoff"), octohost.octodLogTail(40));

        // when the agent comes back, without its local services
        consul.forgetLocalServices();
        consul.start();

        // then octod, not restarted, registers the app again and takes commands
        String id = app + "-" + octohost.onlyContainer(app).substring(0, 12);
        Await.until("the agent has " + id + " again", Duration.ofSeconds(20), consul::agentServices, s -> s.has(id));
        Await.until("octod says Consul is back", Duration.ofSeconds(5), () -> logLines("answers again"), n -> n == 1);
        // (octod logs a registration right after the agent took it)
        Await.until("registered at the push, and again by octod after the outage", Duration.ofSeconds(5),
                () -> logLines("consul services: registered " + id), n -> n == 2);
        assertEquals(1, consul.catalogService(app).size());
        assertEquals(pid, octohost.octodProcess().pid());
        assertTrue(octohost.octodProcess().isAlive());
        assertEquals(sha1, repo.remoteRefs().get("refs/heads/master"), "the failed push changed nothing");
        octohost.octo(null, "config:set", app, "GREETING=hi").orFail();
        assertEquals("hi", consul.kvGet("octohost/cdown/GREETING").orElseThrow());
        PushResult again = repo.push("master");
        assertEquals(0, again.exitCode(), again::describe);
        assertEquals(v2, octohost.get(app).bodyText());
        assertEquals(sha2, repo.remoteRefs().get("refs/heads/master"));
        String container = octohost.awaitOnlyContainer(app);
        Await.until("catalog lists the new container", Duration.ofSeconds(10), () -> consul.catalogService(app),
                l -> l.size() == 1 && (app + "-" + container.substring(0, 12)).equals(l.get(0).path("ServiceID").asText()));
    }

    private static long logLines(String text) {
        try {
            List<String> lines = Files.readAllLines(octohost.octodLog());
            return lines.stream().filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
