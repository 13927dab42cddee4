package io.octohost.e2e.consul;

import io.octohost.e2e.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Http;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, acceptance 2: with --state consul, an app's config and domains are in Consul's KV under
 * octohost/APP/, and each of its routed containers is a Consul service with the right port, tags and
 * a passing HTTP check; scaling and destroying follow.
 */
class ConsulRegistrationTest {
    @RegisterExtension
    @Order(1)
    static final ConsulAgent consul = ConsulAgent.create(false);

    @RegisterExtension
    @Order(2)
    static final Octohost octohost = Octohost.builder().extraArgs(consul.octodArgs()).build();

    @Test
    void configAndDomainsAreInConsulAndEachContainerIsAServiceUntilDestroyed() {
        // given app creg, pushed, with a config key and a domain
        String app = "creg";
        String page = Content.unique("creg");
        AppRepo repo = octohost.app(app);
        repo.staticSite(page).commit("v1");
        PushResult push = repo.push("master");
        assertEquals(0, push.exitCode(), push::describe);
        octohost.octo(null, "config:set", app, "GREETING=hello world = \"x\"").orFail();
        octohost.octo(null, "domains:add", app, "www.creg.test").orFail();

        // then `consul kv get` shows them, in octohost's layout and formats
        assertEquals("hello world = \"x\"", consul.kvGet("octohost/creg/GREETING").orElseThrow());
        assertEquals("www.creg.test", consul.kvGet("octohost/creg/DOMAINS").orElseThrow());
        Proc.Result recurse = consul.cli("kv", "get", "-recurse", "octohost/creg/").orFail();
        assertTrue(recurse.output().contains("octohost/creg/DOMAINS:www.creg.test"), recurse::describe);

        // and the catalog lists its one container: host port, tag http, a check that ran and passes
        String container = octohost.awaitOnlyContainer(app);
        String id = app + "-" + container.substring(0, 12);
        List<Map<String, Object>> one = Await.until("catalog lists " + id, Duration.ofSeconds(10),
                () -> consul.catalogService(app), l -> l.size() == 1 && id.equals(l.get(0).get("ServiceID")));
        Map<String, Object> service = one.get(0);
        assertEquals((long) hostPort(container), service.get("ServicePort"));
        assertEquals("127.0.0.1", service.get("ServiceAddress"));
        assertEquals(List.of("http"), service.get("ServiceTags"));
        awaitCheck(id, "HTTP GET http://127.0.0.1:" + hostPort(container) + ": 200 OK");
        assertEquals(page, Http.get(hostPort(container), "x", "/").bodyText(), "the service's port serves the app");

        // when it is scaled to 2, the catalog lists two instances, each serving the app
        octohost.octo(null, "ps:scale", app, "2").orFail();
        List<Map<String, Object>> two = Await.until("catalog lists 2 instances of " + app, Duration.ofSeconds(10),
                () -> consul.catalogService(app), l -> l.size() == 2);
        Set<Long> ports = new TreeSet<>();
        for (Map<String, Object> s : two) {
            long port = (Long) s.get("ServicePort");
            ports.add(port);
            assertEquals(List.of("http"), s.get("ServiceTags"));
            assertEquals(page, Http.get((int) port, "x", "/").bodyText(), "instance " + s.get("ServiceID"));
            String shortId = ((String) s.get("ServiceID")).substring(app.length() + 1);
            assertTrue(octohost.containers(app).stream().anyMatch(c -> c.startsWith(shortId)), "a container of " + s);
            awaitCheck((String) s.get("ServiceID"), "200 OK");
        }
        assertEquals(2, ports.size());

        // when it is destroyed, none is left, and neither is its config
        octohost.octo(null, "apps:destroy", app, "--confirm", app).orFail();
        Await.until("catalog lists no " + app, Duration.ofSeconds(10), () -> consul.catalogService(app), List::isEmpty);
        assertTrue(consul.kvGet("octohost/creg/GREETING").isEmpty());
    }

    @Test
    void consulTagsAndCustomCheckShapeTheRegistration() {
        String app = "ctags";
        AppRepo repo = octohost.app(app);
        repo.staticSite(Content.unique("ctags")).write("www/health.html", "fine").commit("v1");
        assertEquals(0, repo.push("master").exitCode());

        octohost.octo(null, "config:set", app, "CONSUL_TAGS=http, web", "CUSTOM_CHECK=/health.html",
                "CUSTOM_CHECK_INTERVAL=2s").orFail();

        String container = octohost.awaitOnlyContainer(app);
        String id = app + "-" + container.substring(0, 12);
        Map<String, Object> service = Await.until("catalog lists " + id, Duration.ofSeconds(10),
                () -> consul.catalogService(app), l -> l.size() == 1 && id.equals(l.get(0).get("ServiceID"))).get(0);
        assertEquals(List.of("http", "web"), service.get("ServiceTags"));
        Map<String, Object> check = awaitCheck(id, "HTTP GET http://127.0.0.1:" + hostPort(container) + "/health.html: 200 OK");
        assertEquals("2s", check.get("Interval"));
    }

    /** Waits until the agent ran the service's check and it passed with this output. */
    static Map<String, Object> awaitCheck(String serviceId, String output) {
        return Await.until("check of " + serviceId + " passes with '" + output + "'", Duration.ofSeconds(25),
                () -> consul.agentChecks().get("service:" + serviceId),
                c -> c != null && "passing".equals(c.get("Status")) && String.valueOf(c.get("Output")).contains(output));
    }

    /** The host port Docker published the container's port 80 on (127.0.0.1:PORT). */
    static int hostPort(String container) {
        String out = Proc.of("docker", "port", container, "80/tcp").run().orFail().trimmed();
        String first = out.lines().findFirst().orElseThrow();
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }
}
