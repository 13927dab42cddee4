package io.octohost.deploy;

import io.octohost.app.AppName;

import java.time.Duration;

/** The host-wide settings a deploy needs: the base domain, nginx's port and the readiness timeout. */
public record DeploySettings(String domain, int httpPort, Duration readyTimeout) {
    public String defaultDomain(AppName app) {
        return app + "." + domain;
    }

    public String url(String host) {
        return "http://" + host + (httpPort == 80 ? "" : ":" + httpPort) + "/";
    }
}
