package io.octohost.registry;

import io.octohost.app.AppName;
import io.octohost.app.BuildControl;
import io.octohost.app.Credentials;
import io.octohost.app.Progress;
import io.octohost.source.ImageRef;

import java.util.Optional;

/**
 * Pushes the release's image as {@code REGISTRY/APP:vN} (--registry, {@code host:port[/prefix]}),
 * with the credentials of OCTOD_REGISTRY_USER and OCTOD_REGISTRY_PASSWORD.
 */
public final class DockerRegistryPublisher implements ImagePublisher {
    private final Registries registries;
    private final String host;
    private final String prefix;
    private final Optional<Credentials> credentials;

    public DockerRegistryPublisher(Registries registries, String registry, Optional<String> user, Optional<String> password) {
        this.registries = registries;
        int slash = registry.indexOf('/');
        this.host = slash < 0 ? registry : registry.substring(0, slash);
        this.prefix = slash < 0 ? "" : registry.substring(slash + 1) + "/";
        this.credentials = user.map(u -> new Credentials(u, password.orElse("")));
    }

    @Override
    public Optional<String> publish(AppName app, String imageId, String releaseLabel, Progress progress) {
        return Optional.of(registries.push(imageId, new ImageRef(host, prefix + app, releaseLabel, credentials), progress,
                BuildControl.none()));
    }
}
