package io.octohost.app;

import java.util.List;

/** How nginx reaches an app: the host names it answers to and the containers behind them. */
public record Route(AppName app, List<String> domains, List<Backend> backends) {
    public Route {
        domains = List.copyOf(domains);
        backends = List.copyOf(backends);
    }
}
