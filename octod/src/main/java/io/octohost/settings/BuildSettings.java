package io.octohost.settings;

import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;

/** How long builds may take, what is kept of them, and how their callbacks are retried: part of {@link Settings}. */
public final class BuildSettings {
    @Option(names = "--callback-retry-for", defaultValue = "${env:OCTOD_CALLBACK_RETRY_FOR:-60}", converter = Converters.Seconds.class,
            description = "Seconds a build status is retried, with backoff, against a status callback that fails"
                    + " (OCTOD_CALLBACK_RETRY_FOR, default ${DEFAULT-VALUE}).")
    Duration callbackRetryFor;

    @Option(names = "--build-timeout", defaultValue = "${env:OCTOD_BUILD_TIMEOUT:-1200}", converter = Converters.PositiveSeconds.class,
            description = "Seconds a build may take once it builds, unless the app's BUILD_TIMEOUT says otherwise; past it the"
                    + " build is stopped, timedout (OCTOD_BUILD_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration buildTimeout;

    @Option(names = "--keep-builds", defaultValue = "${env:OCTOD_KEEP_BUILDS:-50}", converter = Converters.Positive.class,
            description = "Builds per app whose record and log are kept (OCTOD_KEEP_BUILDS, default ${DEFAULT-VALUE}).")
    int keepBuilds;

    @Option(names = "--build-log-max", defaultValue = "${env:OCTOD_BUILD_LOG_MAX:-4M}", converter = Converters.Size.class,
            description = "The most of a build's log that is kept, e.g. 4M; past it the start is cut and the end kept"
                    + " (OCTOD_BUILD_LOG_MAX, default ${DEFAULT-VALUE}).")
    long buildLogMaxBytes;

    @Option(names = "--github-api-url", defaultValue = "${env:OCTOD_GITHUB_API_URL:-https://api.github.com}",
            description = "GitHub's REST API, where the commit statuses of webhook builds go; GitHub Enterprise:"
                    + " https://HOST/api/v3 (OCTOD_GITHUB_API_URL, default ${DEFAULT-VALUE}).")
    URI githubApiUrl;

    /** Past it a build is stopped, {@code timedout}, unless the app's BUILD_TIMEOUT says otherwise. */
    public Duration timeout() {
        return buildTimeout;
    }

    /** Builds per app whose record and log are kept. */
    public int keep() {
        return keepBuilds;
    }

    public long logMaxBytes() {
        return buildLogMaxBytes;
    }

    public Duration callbackRetryFor() {
        return callbackRetryFor;
    }

    public URI githubApiUrl() {
        return githubApiUrl;
    }
}
