package io.octohost.run;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Procfile;

import java.util.Optional;

/**
 * An instance of an app octod runs, as found by its labels: a container, or a Swarm task ({@code node}
 * names the Swarm node it runs on; empty for a container of this host) of one process type.
 */
public record AppContainer(AppName app, int release, String id, String name, String commit, boolean running,
                           Optional<Backend> backend, String node, String process) {
    /** An instance of the {@code web} type. */
    public AppContainer(AppName app, int release, String id, String name, String commit, boolean running,
                        Optional<Backend> backend, String node) {
        this(app, release, id, name, commit, running, backend, node, Procfile.WEB);
    }
}
