package io.octohost.http;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.Json;
import io.octohost.builds.BuildRequest;
import io.octohost.builds.Trigger;
import io.octohost.callbacks.CallbackTarget;
import io.octohost.source.ImageRef;
import io.octohost.source.Source;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Seed 004's build request body, checked field by field at the edge: {@code source.url} (required),
 * {@code destination.image} or {@code destination.url}, {@code webhooks.status} and
 * {@code webhooks.logs} (a URL or a list), {@code arguments}, {@code metadata},
 * {@code human_readable_info}. A bad field is a 400 that names it.
 */
final class BuildRequestBody {
    /** Seed 004's own examples end objects with a trailing comma: they are accepted as they are. */
    static final ObjectReader READER = Json.MAPPER.reader().with(JsonReadFeature.ALLOW_TRAILING_COMMA);
    private static final Pattern ARG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private BuildRequestBody() {
    }

    static BuildRequest parse(JsonNode body, AppName app, BuildId id, Trigger trigger, String by) {
        if (!body.isObject()) {
            throw new ApiError(400, "the body must be a JSON object");
        }
        JsonNode sourceUrl = body.path("source").path("url");
        if (!sourceUrl.isTextual()) {
            throw new ApiError(400, "source.url: " + (sourceUrl.isMissingNode() ? "missing" : "must be a string"));
        }
        Source source = Exchange.field("source.url", () -> Source.parse(sourceUrl.asText()));
        JsonNode webhooks = object(body, "webhooks");
        return new BuildRequest(app, id, trigger, by, source, destination(object(body, "destination")),
                arguments(object(body, "arguments")), targets(webhooks, "webhooks.status", "status"),
                targets(webhooks, "webhooks.logs", "logs"), body.has("metadata") ? body.get("metadata") : NullNode.getInstance(),
                text(body, "human_readable_info"));
    }

    private static JsonNode object(JsonNode parent, String name) {
        JsonNode node = parent.path(name);
        if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
            throw new ApiError(400, name + ": must be an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String name) {
        JsonNode node = parent.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ApiError(400, name + ": must be a string");
        }
        return node.asText();
    }

    private static Optional<ImageRef> destination(JsonNode destination) {
        String image = text(destination, "image");
        String url = text(destination, "url");
        if (image != null && url != null && !image.equals(url)) {
            throw new ApiError(400, "destination: give destination.image or destination.url, not two different ones");
        }
        String name = image != null ? "destination.image" : "destination.url";
        String value = image != null ? image : url;
        return value == null ? Optional.empty() : Optional.of(Exchange.field(name, () -> ImageRef.parse(value)));
    }

    private static Map<String, String> arguments(JsonNode arguments) {
        Map<String, String> args = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = arguments.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ARG.matcher(e.getKey()).matches()) {
                throw new ApiError(400, "arguments: '" + e.getKey() + "' is not a build arg name (letters, digits, '_')");
            }
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new ApiError(400, "arguments." + e.getKey() + ": must be a string");
            }
            args.put(e.getKey(), e.getValue().asText());
        }
        return args;
    }

    /** A URL or a list of them. */
    private static List<CallbackTarget> targets(JsonNode webhooks, String field, String name) {
        JsonNode node = webhooks.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        List<CallbackTarget> targets = new ArrayList<>();
        if (node.isTextual()) {
            targets.add(Exchange.field(field, () -> CallbackTarget.parse(node.asText())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode one = node.get(i);
                String where = field + "[" + i + "]";
                if (!one.isTextual()) {
                    throw new ApiError(400, where + ": must be a string");
                }
                targets.add(Exchange.field(where, () -> CallbackTarget.parse(one.asText())));
            }
        } else {
            throw new ApiError(400, field + ": must be a URL or a list of URLs");
        }
        return targets;
    }
}
