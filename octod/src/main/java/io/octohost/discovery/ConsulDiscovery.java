package io.octohost.discovery;

import com.github.dockerjava.api.DockerClient;
import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.route.Router;
import io.octohost.run.ContainerRunner;
import io.octohost.state.AppConfigs;
import io.octohost.state.ConsulStateStore;
import io.octohost.state.StateUnavailable;
import org.kiwiproject.consul.Consul;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * What octod does with Consul besides keeping its state there ({@code --state consul}):
 * <ul>
 * <li>registers every container nginx routes as a service of the local agent (see {@link ServiceSpec}),
 * and deregisters it when it stops or is no longer routed: reconciled at start, on each route change,
 * on each Docker event of this octod's containers, and every minute;</li>
 * <li>follows {@code octohost/<app>/DOMAINS} with blocking queries and routes nginx to the new domains
 * within a second of a {@code consul kv put};</li>
 * <li>when Consul is down: says so in one line, keeps serving, retries with backoff, and once Consul
 * answers again routes what runs (if that could not be done at start) and registers it again.</li>
 * </ul>
 */
public final class ConsulDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsulDiscovery.class);
    private static final Duration DEBOUNCE = Duration.ofMillis(250);
    private static final Duration ANTI_ENTROPY = Duration.ofSeconds(60);

    private final ConsulStateStore consul;
    private final Consul agentClient;
    private final Router router;
    private final ServiceRegistrar registrar;
    private final DomainsWatch watch;
    private final DockerEvents events;
    private final Backoff backoff;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(daemon("consul-services"));
    private final ExecutorService rerouter = Executors.newSingleThreadExecutor(daemon("consul-domains"));
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile Runnable restoreRoutes;
    private volatile Predicate<AppName> followDomains;
    private volatile boolean routesRestored;

    public ConsulDiscovery(ConsulStateStore consul, DockerClient docker, String instanceId, ContainerRunner runner,
                           AppConfigs configs, Router nginx) {
        this(consul, docker, instanceId, runner, configs, nginx, Backoff.DEFAULT);
    }

    ConsulDiscovery(ConsulStateStore consul, DockerClient docker, String instanceId, ContainerRunner runner,
                    AppConfigs configs, Router nginx, Backoff backoff) {
        this.consul = consul;
        this.backoff = backoff;
        this.router = new RoutesListener(nginx, this::poke);
        this.agentClient = ConsulStateStore.connect(consul.url(), consul.token(), Duration.ofSeconds(15));
        this.registrar = new ServiceRegistrar(agentClient.agentClient(), consul, instanceId, runner::list, configs, router::routes);
        this.watch = new DomainsWatch(consul, new WatchListener(), backoff);
        this.events = docker == null ? null : new DockerEvents(docker, instanceId, this::poke, backoff);
    }

    /** The router deploys must use: nginx, telling this about every change of the routes. */
    public Router router() {
        return router;
    }

    public ServiceRegistrar registrar() {
        return registrar;
    }

    /**
     * Starts the watches. {@code restoreRoutes} routes what runs; {@code routesRestored}: whether
     * octod did so at start; if not (Consul was down), it is done as soon as Consul answers.
     * {@code followDomains} routes an app's stored DOMAINS, telling whether they changed.
     * {@code consulUp}: whether Consul answered at start (if not, octod has said so already).
     */
    public void start(Runnable restoreRoutes, Predicate<AppName> followDomains, boolean routesRestored, boolean consulUp) {
        this.restoreRoutes = restoreRoutes;
        this.followDomains = followDomains;
        this.routesRestored = routesRestored;
        down.set(!consulUp);
        thread(watch, "consul-watch").start();
        if (events != null) {
            thread(events, "docker-events").start();
        }
        worker.scheduleWithFixedDelay(this::poke, ANTI_ENTROPY.toMillis(), ANTI_ENTROPY.toMillis(), TimeUnit.MILLISECONDS);
        poke();
    }

    /** Asks for a reconcile of the services soon; many asks in a short while make one. */
    public void poke() {
        schedule(DEBOUNCE);
    }

    private void schedule(Duration delay) {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.schedule(this::reconcile, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                scheduled.set(false); // closed
            }
        }
    }

    private void reconcile() {
        scheduled.set(false);
        try {
            if (!routesRestored && restoreRoutes != null) {
                restoreRoutes();
            }
            registrar.reconcile();
            failures.set(0);
            reachable();
        } catch (StateUnavailable e) {
            unavailable(e);
            schedule(backoff.delay(failures.getAndIncrement()));
        } catch (UserError e) {
            log.warn("consul service registration failed: {}", e.getMessage());
            schedule(backoff.delay(failures.getAndIncrement()));
        } catch (RuntimeException e) {
            log.warn("consul service registration failed", e);
            schedule(backoff.delay(failures.getAndIncrement()));
        }
    }

    /** What octod could not do at start because Consul was down. */
    private void restoreRoutes() {
        try {
            restoreRoutes.run();
            log.info("Consul answers: the routes of what runs are restored");
        } catch (StateUnavailable e) {
            throw e;
        } catch (UserError e) {
            log.warn("could not restore the routes: {}", e.getMessage());
        }
        routesRestored = true;
    }

    private void unavailable(UserError e) {
        if (down.compareAndSet(false, true)) {
            log.warn("{}; octod keeps serving and retries with backoff", e.getMessage());
        }
    }

    private void reachable() {
        if (down.compareAndSet(true, false)) {
            log.info("Consul at {} answers again", consul.url());
        }
    }

    /** Routes nginx to an app's DOMAINS as stored now, unless that is what it routes already. */
    void reroute(AppName app) {
        Predicate<AppName> follow = followDomains;
        if (follow != null && follow.test(app)) {
            log.info("{}: DOMAINS changed in Consul, routing {}", app, String.join(" ", router.routes().get(app).domains()));
        }
    }

    private final class WatchListener implements DomainsWatch.Listener {
        @Override
        public void reached() {
            reachable();
            poke();
        }

        @Override
        public void failed(UserError e) {
            unavailable(e);
        }

        @Override
        public void domainsChanged(Set<String> apps) {
            for (String name : apps) {
                AppName app;
                try {
                    app = AppName.of(name);
                } catch (UserError e) {
                    continue; // not an app octod could have
                }
                rerouter.execute(() -> {
                    try {
                        reroute(app);
                    } catch (UserError e) {
                        log.warn("{}: the DOMAINS in Consul are not routed: {}", app, e.getMessage());
                    } catch (RuntimeException e) {
                        log.warn("{}: routing the DOMAINS in Consul failed", app, e);
                    }
                });
            }
        }

        @Override
        public void configChanged() {
            poke();
        }
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> thread(r, name);
    }

    @Override
    public void close() {
        watch.close();
        if (events != null) {
            events.close();
        }
        worker.shutdownNow();
        rerouter.shutdownNow();
        agentClient.destroy();
    }
}
