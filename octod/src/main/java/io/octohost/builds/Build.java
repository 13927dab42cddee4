package io.octohost.builds;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.BuildStatus;

import java.time.Instant;

/**
 * The record of one build, whatever started it: what it built ({@code source}, shown without
 * credentials), who asked ({@code by}: a key or token name), where it is ({@code status}), its times,
 * the release it produced, why it ended as it did ({@code reason}), and the client's {@code metadata}
 * and {@code info} (seed 004's metadata and human_readable_info). Its log is kept beside it.
 */
@JsonPropertyOrder({"id", "app", "trigger", "by", "source", "status", "created", "started", "ended", "release", "reason"})
public record Build(BuildId id, AppName app, Trigger trigger, String by, String source, BuildStatus status, Instant created,
                    Instant started, Instant ended, String release, String reason, JsonNode metadata, String info) {

    /** A new build, {@code pending}. */
    public static Build pending(BuildId id, AppName app, Trigger trigger, String by, String source, Instant now,
                                JsonNode metadata, String info) {
        return new Build(id, app, trigger, by, source, BuildStatus.PENDING, now, null, null, null, null, metadata, info);
    }

    /** This build moved on to {@code next}: {@code started} is set when it starts building, {@code ended} when it ends. */
    public Build to(BuildStatus next, Instant now, String why) {
        if (status.ended()) {
            throw new IllegalStateException("build " + app + "/" + id + " has ended already (" + status.label() + ")");
        }
        Instant start = started == null && next == BuildStatus.BUILDING ? now : started;
        return new Build(id, app, trigger, by, source, next, created, start, next.ended() ? now : null, release,
                why == null ? reason : why, metadata, info);
    }

    /** The release the build deployed. */
    public Build withRelease(String label) {
        return new Build(id, app, trigger, by, source, status, created, started, ended, label, reason, metadata, info);
    }

    public String key() {
        return app + "/" + id;
    }
}
