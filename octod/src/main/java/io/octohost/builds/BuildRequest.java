package io.octohost.builds;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.callbacks.CallbackTarget;
import io.octohost.source.ImageRef;
import io.octohost.source.Source;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A build asked for, validated at the edge: the app and the build's id, who asked and how, what to
 * build, where to push the image (optional), build args (merged over the app's EXTRA_BUILD_ARGS), and
 * where status and log go (seed 004's webhooks), with the metadata they echo.
 */
public record BuildRequest(AppName app, BuildId id, Trigger trigger, String by, Source source, Optional<ImageRef> destination,
                           SortedMap<String, String> arguments, List<CallbackTarget> statusCallbacks,
                           List<CallbackTarget> logCallbacks, JsonNode metadata, String info) {
    public BuildRequest {
        arguments = new TreeMap<>(arguments);
        statusCallbacks = List.copyOf(statusCallbacks);
        logCallbacks = List.copyOf(logCallbacks);
    }

    public BuildRequest(AppName app, BuildId id, Trigger trigger, String by, Source source, Optional<ImageRef> destination,
                        Map<String, String> arguments, List<CallbackTarget> statusCallbacks, List<CallbackTarget> logCallbacks,
                        JsonNode metadata, String info) {
        this(app, id, trigger, by, source, destination, new TreeMap<>(arguments), statusCallbacks, logCallbacks, metadata, info);
    }
}
