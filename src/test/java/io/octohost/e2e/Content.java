package io.octohost.e2e;

import java.util.UUID;

/** Page contents that no other push, test or run can have served by accident. */
public final class Content {
    private Content() {
    }

    /** E.g. {@code "hello v1 3f9c...\n"}. */
    public static String unique(String label) {
        return label + " " + UUID.randomUUID() + "\n";
    }
}
