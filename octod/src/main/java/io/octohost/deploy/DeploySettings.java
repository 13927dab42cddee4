package io.octohost.deploy;

import io.octohost.app.AppName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The host-wide settings a deploy needs: the base domain and nginx's port, how long new
 * containers have to get ready, how old ones are drained and stopped, how many releases keep
 * their images, how much disk a build needs, and how many builds run at once.
 */
public record DeploySettings(String domain, int httpPort, Duration readyTimeout, Duration drainGrace,
                             Duration stopTimeout, int keepReleases, long minFreeBytes, List<Path> diskPaths,
                             int maxParallelBuilds) {
    public String defaultDomain(AppName app) {
        return app + "." + domain;
    }

    public String url(String host) {
        return "http://" + host + (httpPort == 80 ? "" : ":" + httpPort) + "/";
    }
}
