package io.octohost.builds;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Every new or changed build record, as it is stored, to whoever watches (the HTTP API's event
 * stream behind the monitor page). {@link BuildStore} publishes: every status change goes through it.
 * A watcher runs on the thread that stored the record, so it must only hand the record on (a queue).
 */
public final class BuildEvents {
    private static final Logger log = LoggerFactory.getLogger(BuildEvents.class);
    private final Set<Consumer<Build>> watchers = new CopyOnWriteArraySet<>();

    /** A watcher's registration; closing it stops the records. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    public Watch watch(Consumer<Build> watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    void publish(Build build) {
        for (Consumer<Build> w : watchers) {
            try {
                w.accept(build);
            } catch (RuntimeException e) {
                // a watcher's bug must not fail the build whose record was stored
                log.warn("a build watcher failed on {}", build.key(), e);
            }
        }
    }
}
