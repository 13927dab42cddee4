package io.octohost.builds;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/** What started a build. */
public enum Trigger {
    GIT_PUSH("git-push"), API("api"), WEBHOOK("webhook");

    private final String label;

    Trigger(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static Trigger parse(String text) {
        return Arrays.stream(values()).filter(t -> t.label.equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no trigger '" + text + "'"));
    }
}
