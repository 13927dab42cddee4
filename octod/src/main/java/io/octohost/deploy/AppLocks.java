package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Progress;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** One lock per app: whatever changes an app holds it, so it sees no other deploy, restart or config change of the app. */
final class AppLocks {
    private final ConcurrentHashMap<AppName, ReentrantLock> locks = new ConcurrentHashMap<>();

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
        return lock::unlock;
    }

    /** The app's lock if nobody holds it now (background work leaves busy apps alone). */
    Optional<Held> tryAcquire(AppName app) {
        ReentrantLock lock = lockOf(app);
        return lock.tryLock() ? Optional.of(lock::unlock) : Optional.empty();
    }

    private ReentrantLock lockOf(AppName app) {
        return locks.computeIfAbsent(app, k -> new ReentrantLock());
    }
}
