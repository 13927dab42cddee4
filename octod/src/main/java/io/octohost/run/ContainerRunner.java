package io.octohost.run;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.ContainerSpec;

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

    /** Stops and removes a container; a container already gone is fine. */
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
