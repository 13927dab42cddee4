package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.source.ImageRef;
import io.octohost.source.Source;

import java.util.Map;
import java.util.Optional;

/**
 * A build that was not pushed (one asked for over the API): the app, what to build or run, where to
 * push the image (optional), build args over the app's EXTRA_BUILD_ARGS, who asked, and the release's
 * description.
 */
public record SourceBuild(AppName app, Source source, Optional<ImageRef> destination, Map<String, String> arguments,
                          String by, String description) {
    public SourceBuild {
        if (source instanceof Source.Commit) {
            throw new IllegalArgumentException("a pushed commit is a Push");
        }
        arguments = Map.copyOf(arguments);
    }
}
