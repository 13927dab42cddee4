package io.octohost.discovery;

import com.sun.net.httpserver.HttpServer;
import io.octohost.app.AppName;
import io.octohost.app.Domains;
import io.octohost.app.Backend;
import io.octohost.app.Route;
import io.octohost.app.UserError;
import io.octohost.run.AppContainer;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.ConsulAgent;
import io.octohost.state.ConsulStateStore;
import io.octohost.state.StateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.AgentClient;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.Service;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registrar against a real Consul agent. The "containers" are a list the test controls, each
 * backed by a real HTTP server on a loopback port, so the agent's HTTP checks really run.
 */
@Tag("consul")
class ServiceRegistrarTest {
    private static final AppName HELLO = AppName.of("hello");
    private static ConsulAgent agentProcess;
    private static ConsulStateStore store;
    private static Consul client;
    private static AgentClient agent;
    private static HttpServer web;

    private final List<AppContainer> containers = new ArrayList<>();
    private final Map<AppName, Route> routes = new ConcurrentHashMap<>();
    private ServiceRegistrar registrar;

    @BeforeAll
    static void start() throws Exception {
        agentProcess = ConsulAgent.start();
        store = new ConsulStateStore(agentProcess.url(), Optional.empty());
        client = ConsulStateStore.connect(agentProcess.url(), Optional.empty(), Duration.ofSeconds(10));
        agent = client.agentClient();
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            byte[] body = ("ok " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) {
            web.stop(0);
        }
        if (client != null) {
            client.destroy();
        }
        if (store != null) {
            store.close();
        }
        if (agentProcess != null) {
            agentProcess.close();
        }
    }

    @BeforeEach
    void setUp() {
        store.apply(List.of(new StateStore.Change.DeletePrefix("")));
        agent.getServices().keySet().forEach(agent::deregister);
        AppClaims claims = new AppClaims(store);
        claims.claim(HELLO, new AppClaims.Owner(HELLO, "master"));
        AppConfigs configs = new AppConfigs(store, claims, 32, new Domains("test.octohost"));
        registrar = new ServiceRegistrar(agent, store, "inst-1", () -> List.copyOf(containers), configs, () -> Map.copyOf(routes));
    }

    private Backend container(String id, boolean routed) {
        Backend b = new Backend(id, "hello.x." + id.charAt(0), "172.17.0.9", 80, web.getAddress().getPort());
        containers.add(new AppContainer(HELLO, 1, id, b.containerName(), "c0ffee", true, Optional.of(b)));
        if (routed) {
            List<Backend> backends = new ArrayList<>(Optional.ofNullable(routes.get(HELLO)).map(Route::backends).orElse(List.of()));
            backends.add(b);
            routes.put(HELLO, new Route(HELLO, List.of("hello.test.octohost"), backends));
        }
        return b;
    }

    private static String id(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void registersRoutedContainersWithOctohostsPayload() throws Exception {
        store.put("octohost/hello/CUSTOM_CHECK_INTERVAL", "1s".getBytes(StandardCharsets.UTF_8));
        container(id('a'), true);
        container(id('b'), false); // started, not routed yet: not registered

        ServiceRegistrar.Outcome outcome = registrar.reconcile();

        assertEquals(List.of("hello-aaaaaaaaaaaa"), outcome.registered());
        Map<String, Service> services = agent.getServices();
        assertEquals(List.of("hello-aaaaaaaaaaaa"), List.copyOf(services.keySet()));
        Service s = services.get("hello-aaaaaaaaaaaa");
        assertEquals("hello", s.getService());
        assertEquals("127.0.0.1", s.getAddress());
        assertEquals(web.getAddress().getPort(), s.getPort());
        assertEquals(List.of("http"), s.getTags());
        assertEquals("inst-1", s.getMeta().get(ServiceSpec.META_INSTANCE));
        assertEquals(id('a'), s.getMeta().get(ServiceSpec.META_CONTAINER));

        // the agent really runs the HTTP check against the port
        HealthCheck check = awaitCheckOutput("service:hello-aaaaaaaaaaaa", "200 OK");
        assertEquals("passing", check.getStatus());
        assertTrue(check.getOutput().orElse("").contains("http://127.0.0.1:" + web.getAddress().getPort()), check.toString());

        // a second pass changes nothing
        ServiceRegistrar.Outcome again = registrar.reconcile();
        assertTrue(!again.changedAnything(), again.toString());
    }

    @Test
    void configChangesReRegisterAndUnroutedContainersAreDeregistered() throws Exception {
        container(id('a'), true);
        container(id('c'), true);
        registrar.reconcile();
        assertEquals(2, agent.getServices().size());

        store.put("octohost/hello/CONSUL_TAGS", "http, web".getBytes(StandardCharsets.UTF_8));
        store.put("octohost/hello/CUSTOM_CHECK", "/health".getBytes(StandardCharsets.UTF_8));
        store.put("octohost/hello/CUSTOM_CHECK_INTERVAL", "1s".getBytes(StandardCharsets.UTF_8));
        ServiceRegistrar.Outcome outcome = registrar.reconcile();
        assertEquals(2, outcome.registered().size());
        assertEquals(List.of("http", "web"), agent.getServices().get("hello-aaaaaaaaaaaa").getTags());
        awaitCheckOutput("service:hello-aaaaaaaaaaaa", "ok /health");

        // the route switched to c only (a deploy, a scale down): a goes, c stays
        routes.put(HELLO, new Route(HELLO, List.of("hello.test.octohost"),
                routes.get(HELLO).backends().stream().filter(b -> b.containerId().equals(id('c'))).toList()));
        outcome = registrar.reconcile();
        assertEquals(List.of("hello-aaaaaaaaaaaa"), outcome.deregistered());
        assertEquals(List.of("hello-cccccccccccc"), List.copyOf(agent.getServices().keySet()));

        // the container stopped
        containers.clear();
        registrar.reconcile();
        assertTrue(agent.getServices().isEmpty());
    }

    @Test
    void servicesOfOthersAreLeftAlone() {
        agent.register(new ServiceSpec("other-1", "other", "127.0.0.1", 1234, List.of("x"), "http://127.0.0.1:1234", "15s", "zz")
                .registration("another-octod"));
        agent.register(org.kiwiproject.consul.model.agent.ImmutableRegistration.builder().id("by-hand").name("by-hand").port(1).build());
        registrar.reconcile();
        assertEquals(List.of("by-hand", "other-1"), agent.getServices().keySet().stream().sorted().toList());
    }

    @Test
    void anUnreachableAgentIsStateStoreUnavailable() throws Exception {
        try (ConsulAgent own = ConsulAgent.start();
             ConsulStateStore ownStore = new ConsulStateStore(own.url(), Optional.empty())) {
            Consul ownClient = ConsulStateStore.connect(own.url(), Optional.empty(), Duration.ofSeconds(5));
            AppConfigs configs = new AppConfigs(ownStore, new AppClaims(ownStore), 32, new Domains("test.octohost"));
            ServiceRegistrar r = new ServiceRegistrar(ownClient.agentClient(), ownStore, "inst-2", () -> List.copyOf(containers),
                    configs, () -> Map.copyOf(routes));
            container(id('d'), true);
            own.stop();
            UserError e = assertThrows(UserError.class, r::reconcile);
            assertTrue(e.getMessage().startsWith("state store unavailable: cannot reach Consul at " + own.url()), e.getMessage());
            ownClient.destroy();
        }
    }

    private static HealthCheck awaitCheckOutput(String checkId, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HealthCheck last = null;
        while (System.nanoTime() < deadline) {
            last = agent.getChecks().get(checkId);
            if (last != null && last.getOutput().orElse("").contains(text)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("check " + checkId + " has no output '" + text + "' within 20 s: " + last);
    }
}
