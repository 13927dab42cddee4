package io.octohost.callbacks;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.app.BuildStatus;
import io.octohost.app.Json;

/**
 * Seed 004's status body: {@code {"id": <metadata>, "type": "octohost", "building": true|false,
 * "status": "..."}}, the same for callbacks and for {@code GET .../status}. {@code id} echoes the
 * request's metadata, whatever JSON it was.
 */
@JsonPropertyOrder({"id", "type", "building", "status"})
public record StatusBody(JsonNode id, String type, boolean building, String status) {
    public static StatusBody of(JsonNode metadata, BuildStatus status) {
        return new StatusBody(metadata, "octohost", status.building(), status.label());
    }

    public String json() {
        return Json.write(this);
    }
}
