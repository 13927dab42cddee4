package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops replaced containers in the background once --drain-grace has passed, so nginx's old workers
 * can finish what they sent them. The next release never waits for it; a container already draining
 * is not drained twice.
 */
final class Drainer {
    private static final Logger log = LoggerFactory.getLogger(Drainer.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "drain-timer"));
    /** Stops run side by side: each may wait the whole stop timeout for a process that ignores SIGTERM. */
    private final ExecutorService stoppers = Executors.newCachedThreadPool(r -> daemon(r, "drain"));
    private final Set<String> draining = ConcurrentHashMap.newKeySet();
    private final ContainerRunner runner;
    private final Duration grace;
    private final Duration stopTimeout;

    Drainer(ContainerRunner runner, Duration grace, Duration stopTimeout) {
        this.runner = runner;
        this.grace = grace;
        this.stopTimeout = stopTimeout;
    }

    void drain(AppName app, List<AppContainer> old) {
        for (AppContainer c : old) {
            if (draining.add(c.id())) {
                timer.schedule(() -> stoppers.execute(() -> stop(app, c)), grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void stop(AppName app, AppContainer c) {
        try {
            runner.retire(c.id(), stopTimeout);
        } catch (RuntimeException e) {
            log.warn("could not stop {} of {}: {}", c.name(), app, e.getMessage());
        } finally {
            draining.remove(c.id());
        }
    }
}
