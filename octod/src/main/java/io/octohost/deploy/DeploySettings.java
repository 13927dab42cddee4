package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Domains;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The host-wide settings a deploy needs: the apps' domains and nginx's port, how long new
 * containers have to get ready, how old ones are drained and stopped, how many releases keep
 * their images, how much disk a build needs, and how many builds run at once.
 */
public record DeploySettings(Domains domains, int httpPort, Duration readyTimeout, Duration drainGrace,
                             Duration stopTimeout, int keepReleases, long minFreeBytes, List<Path> diskPaths,
                             int maxParallelBuilds) {
    /** Where the app is served: {@code http://APP.DOMAIN[:PORT]/}. */
    public String url(AppName app) {
        return "http://" + domains.defaultDomain(app) + (httpPort == 80 ? "" : ":" + httpPort) + "/";
    }
}
