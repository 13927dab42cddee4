package io.octohost.discovery;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Route;
import io.octohost.app.UserError;
import io.octohost.run.AppContainer;
import io.octohost.state.AppConfigs;
import io.octohost.state.ConsulStateStore;
import io.octohost.state.StateUnavailable;
import org.kiwiproject.consul.AgentClient;
import org.kiwiproject.consul.model.health.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Makes the local agent's services match the containers nginx routes: registers what is routed and
 * running, and deregisters what this octod registered before that is no longer (stopped, replaced,
 * scaled away, destroyed). Services that another octod or tool registered are never touched.
 */
public final class ServiceRegistrar {
    private static final Logger log = LoggerFactory.getLogger(ServiceRegistrar.class);
    private final AgentClient agent;
    private final ConsulStateStore consul;
    private final String instanceId;
    private final Supplier<List<AppContainer>> containers;
    private final AppConfigs configs;
    private final Supplier<Map<AppName, Route>> routes;

    public ServiceRegistrar(AgentClient agent, ConsulStateStore consul, String instanceId, Supplier<List<AppContainer>> containers,
                            AppConfigs configs, Supplier<Map<AppName, Route>> routes) {
        this.agent = agent;
        this.consul = consul;
        this.instanceId = instanceId;
        this.containers = containers;
        this.configs = configs;
        this.routes = routes;
    }

    /** What one reconcile did. */
    public record Outcome(List<String> registered, List<String> deregistered, int unchanged) {
        public boolean changedAnything() {
            return !registered.isEmpty() || !deregistered.isEmpty();
        }
    }

    /** The registrations wanted now: every running container with a host port that nginx routes to. */
    public List<ServiceSpec> wanted() {
        Set<String> routed = routes.get().values().stream().flatMap(r -> r.backends().stream())
                .map(Backend::containerId).collect(Collectors.toSet());
        Map<AppName, SortedMap<String, String>> config = new HashMap<>();
        List<ServiceSpec> wanted = new ArrayList<>();
        for (AppContainer c : containers.get()) {
            if (!c.running() || c.backend().isEmpty() || !routed.contains(c.id())) {
                continue;
            }
            Backend backend = c.backend().get();
            if (backend.hostPort() <= 0) {
                continue;
            }
            SortedMap<String, String> keys = config.computeIfAbsent(c.app(), a -> configs.effective(a, configs.own(a)));
            wanted.add(ServiceSpec.of(c.app(), backend, keys));
        }
        return wanted;
    }

    /** The services of this octod that the agent has now, by ID. */
    public Map<String, Service> registered() {
        Map<String, Service> all = agentCall(agent::getServices);
        Map<String, Service> ours = new TreeMap<>();
        all.forEach((id, s) -> {
            if (instanceId.equals(s.getMeta().get(ServiceSpec.META_INSTANCE))) {
                ours.put(s.getId(), s);
            }
        });
        return ours;
    }

    /**
     * One pass: registers what is missing or changed, deregisters what is gone.
     * @throws StateUnavailable when Consul cannot be reached
     */
    public Outcome reconcile() {
        List<ServiceSpec> wanted = wanted();
        Map<String, Service> existing = registered();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        int same = 0;
        Map<String, ServiceSpec> byId = new TreeMap<>();
        wanted.forEach(s -> byId.put(s.id(), s));
        for (String id : existing.keySet()) {
            if (!byId.containsKey(id)) {
                agentCall(() -> {
                    agent.deregister(id);
                    return null;
                });
                removed.add(id);
            }
        }
        for (ServiceSpec spec : byId.values()) {
            Service now = existing.get(spec.id());
            if (now != null && spec.matches(now)) {
                same++;
                continue;
            }
            agentCall(() -> {
                agent.register(spec.registration(instanceId));
                return null;
            });
            added.add(spec.id());
        }
        if (!added.isEmpty() || !removed.isEmpty()) {
            log.info("consul services: registered {}, deregistered {}", added.isEmpty() ? "none" : String.join(" ", added),
                    removed.isEmpty() ? "none" : String.join(" ", removed));
        }
        return new Outcome(added, removed, same);
    }

    private <T> T agentCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateUnavailable(consul.reason(e), e);
        }
    }
}
