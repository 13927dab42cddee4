package io.octohost.state;

/**
 * Locks that every octod sharing the state store honours: one holder of a name at a time, across
 * hosts. With a Swarm, several octods deploy the same apps; one app deploys on one of them at a time.
 */
public interface ClusterLocks {
    /** Held until closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits until this octod holds the lock; {@code onWait} runs once if it has to wait.
     * @throws StateUnavailable when the store cannot be reached
     */
    Held acquire(String name, Runnable onWait);

    /** One octod alone: the app locks inside it are enough. */
    ClusterLocks NONE = (name, onWait) -> () -> { };
}
