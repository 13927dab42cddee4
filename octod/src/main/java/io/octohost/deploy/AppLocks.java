package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Progress;
import io.octohost.state.ClusterLocks;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per app: whatever changes an app holds it, so it sees no other deploy, restart or config
 * change of the app. Where several octods share the apps (a Swarm), the app's cluster lock is taken
 * too, after this octod's own: one octod deploys an app at a time.
 */
final class AppLocks {
    private final ConcurrentHashMap<AppName, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ClusterLocks cluster;

    AppLocks(ClusterLocks cluster) {
        this.cluster = cluster;
    }

    /** Held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits for the app's lock; a caller that has to wait is told so. */
    Held acquire(AppName app, Progress progress) {
        ReentrantLock lock = lockOf(app);
        if (!lock.tryLock()) {
            progress.line("waiting for the deploy of " + app + " to finish");
            lock.lock();
        }
        try {
            ClusterLocks.Held shared = cluster.acquire(app.value(),
                    () -> progress.line("waiting for the deploy of " + app + " to finish (another octod deploys it)"));
            return () -> {
                try {
                    shared.close();
                } finally {
                    lock.unlock();
                }
            };
        } catch (RuntimeException | Error e) {
            lock.unlock();
            throw e;
        }
    }

    /**
     * The app's lock in this octod, if nobody here holds it now: for background work that leaves busy
     * apps alone and changes nothing another octod shares (this host's nginx).
     */
    Optional<Held> tryAcquire(AppName app) {
        ReentrantLock lock = lockOf(app);
        return lock.tryLock() ? Optional.of(lock::unlock) : Optional.empty();
    }

    private ReentrantLock lockOf(AppName app) {
        return locks.computeIfAbsent(app, k -> new ReentrantLock());
    }
}
