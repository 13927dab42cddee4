package io.octohost.run;

import io.octohost.app.AppName;
import io.octohost.app.Backend;

import java.util.Optional;

/** A container octod started, as found by its labels. */
public record AppContainer(AppName app, int release, String id, String name, String commit, boolean running,
                           Optional<Backend> backend) {
}
