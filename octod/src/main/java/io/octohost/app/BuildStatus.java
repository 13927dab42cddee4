package io.octohost.app;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a build is, in order: accepted, waiting for the app's lock or a build slot, building, then
 * one of the four ends. Seed 004's five statuses, plus {@code cancelled}.
 */
public enum BuildStatus {
    PENDING, QUEUED, BUILDING, SUCCEEDED, FAILED, TIMEDOUT, CANCELLED;

    public boolean ended() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** Seed 004's {@code building} flag: true while the build runs (as Jenkins reports it), not while it waits. */
    public boolean building() {
        return this == BUILDING;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BuildStatus parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
