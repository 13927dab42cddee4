package io.octohost.run;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.ContainerSpec;
import io.octohost.app.HealthCheck;

import java.time.Duration;
import java.util.List;

/** Starts, finds and removes app containers. The only part of octod that starts containers. */
public interface ContainerRunner {
    /** Creates and starts a container; the backend carries its address and published port. */
    Backend start(ContainerSpec spec);

    /**
     * Waits until the container is still running and its own address accepts a TCP connection.
     * @throws io.octohost.app.UserError when it exits or does not listen within the timeout
     */
    void awaitReady(Backend backend, Duration timeout);

    /**
     * Asks the app over HTTP until it answers 2xx or 3xx.
     * @throws io.octohost.app.UserError with the last answer when every attempt fails
     */
    void checkHealth(Backend backend, HealthCheck check);

    /** Stops a container gracefully (SIGTERM, then SIGKILL after the timeout) and removes it. */
    void stop(String containerId, Duration timeout);

    /** Removes a container at once; a container already gone is fine. */
    void remove(String containerId);

    /**
     * Writes the output of a container, the last {@code tail} lines, then as it comes if
     * {@code follow}, until the container stops or the sink fails (the reader went away).
     */
    void logs(String containerId, int tail, boolean follow, java.util.function.Consumer<byte[]> sink);

    /** Every container of this octod instance, running or not. */
    List<AppContainer> list();

    default List<AppContainer> list(AppName app) {
        return list().stream().filter(c -> c.app().equals(app)).toList();
    }
}
