package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.BuildControl;
import io.octohost.app.Progress;
import io.octohost.state.ClusterLocks;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per app: whatever changes an app holds it, so it sees no other deploy, restart or config
 * change of the app. Where several octods share the apps (a Swarm), the app's cluster lock is taken
 * too, after this octod's own: one octod deploys an app at a time.
 */
final class AppLocks {
    /** How often a deploy waiting for a lock or a build slot looks whether its build was stopped. */
    static final long STOP_POLL_MS = 100;
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

    /** Waits for the app's lock; a caller that has to wait is told so, and stops waiting when its build is stopped. */
    Held acquire(AppName app, Progress progress, BuildControl control) {
        ReentrantLock lock = lockOf(app);
        if (!lock.tryLock()) {
            progress.line("waiting for the deploy of " + app + " to finish");
            while (!tryLock(lock)) {
                control.check();
            }
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

    private static boolean tryLock(ReentrantLock lock) {
        try {
            return lock.tryLock(STOP_POLL_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an app's lock", e);
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
