package io.octohost.run;

import io.octohost.app.AppName;
import io.octohost.app.Backend;

import java.util.Optional;

/**
 * An instance of an app octod runs, as found by its labels: a container, or a Swarm task ({@code node}
 * names the Swarm node it runs on; empty for a container of this host).
 */
public record AppContainer(AppName app, int release, String id, String name, String commit, boolean running,
                           Optional<Backend> backend, String node) {
}
