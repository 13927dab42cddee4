package io.octohost.e2e.consul;

import io.octohost.e2e.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Http;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, acceptance 2: with --state consul, an app's config and domains are in Consul's KV under
 * octohost/APP/, and each of its routed containers is a Consul service with the right port, tags and
 * a passing HTTP check; scaling and destroying follow.
 */
@Tag("docker")
@Tag("consul")
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
        octohost.deployed(app, page);
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
        List<JsonNode> one = Await.until("catalog lists " + id, Duration.ofSeconds(10),
                () -> consul.catalogService(app), l -> l.size() == 1 && id.equals(l.get(0).path("ServiceID").asText()));
        JsonNode service = one.get(0);
        assertTrue(service.path("ServicePort").isIntegralNumber(), service::toString);
        assertEquals(hostPort(container), service.path("ServicePort").asInt());
        assertEquals("127.0.0.1", service.path("ServiceAddress").asText(null));
        assertEquals(List.of("http"), Json.strings(service.path("ServiceTags")));
        awaitCheck(id, "HTTP GET http://127.0.0.1:" + hostPort(container) + ": 200 OK");
        assertEquals(page, Http.get(hostPort(container), "x", "/").bodyText(), "the service's port serves the app");

        // when it is scaled to 2, the catalog lists two instances, each serving the app
        octohost.octo(null, "ps:scale", app, "2").orFail();
        List<JsonNode> two = Await.until("catalog lists 2 instances of " + app, Duration.ofSeconds(10),
                () -> consul.catalogService(app), l -> l.size() == 2);
        Set<Integer> ports = new TreeSet<>();
        for (JsonNode s : two) {
            assertTrue(s.path("ServicePort").isIntegralNumber(), s::toString);
            int port = s.path("ServicePort").asInt();
            ports.add(port);
            assertEquals(List.of("http"), Json.strings(s.path("ServiceTags")));
            String serviceId = s.path("ServiceID").asText();
            assertEquals(page, Http.get(port, "x", "/").bodyText(), "instance " + serviceId);
            String shortId = serviceId.substring(app.length() + 1);
            assertTrue(octohost.containers(app).stream().anyMatch(c -> c.startsWith(shortId)), "a container of " + s);
            awaitCheck(serviceId, "200 OK");
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
        String page = Content.unique("ctags");
        octohost.app(app).staticSite(page).write("www/health.html", "fine").deploy("master", page);

        octohost.octo(null, "config:set", app, "CONSUL_TAGS=http, web", "CUSTOM_CHECK=/health.html",
                "CUSTOM_CHECK_INTERVAL=2s").orFail();

        String container = octohost.awaitOnlyContainer(app);
        String id = app + "-" + container.substring(0, 12);
        JsonNode service = Await.until("catalog lists " + id, Duration.ofSeconds(10),
                () -> consul.catalogService(app), l -> l.size() == 1 && id.equals(l.get(0).path("ServiceID").asText())).get(0);
        assertEquals(List.of("http", "web"), Json.strings(service.path("ServiceTags")));
        JsonNode check = awaitCheck(id, "HTTP GET http://127.0.0.1:" + hostPort(container) + "/health.html: 200 OK");
        assertEquals("2s", check.path("Interval").asText(null));
    }

    /** Waits until the agent ran the service's check and it passed with this output. */
    static JsonNode awaitCheck(String serviceId, String output) {
        return Await.until("check of " + serviceId + " passes with '" + output + "'", Duration.ofSeconds(25),
                () -> consul.agentChecks().path("service:" + serviceId),
                c -> "passing".equals(c.path("Status").asText()) && c.path("Output").asText().contains(output));
    }

    /** The host port Docker published the container's port 80 on (127.0.0.1:PORT). */
    static int hostPort(String container) {
        String out = Proc.of("docker", "port", container, "80/tcp").run().orFail().trimmed();
        String first = out.lines().findFirst().orElseThrow();
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }
}
