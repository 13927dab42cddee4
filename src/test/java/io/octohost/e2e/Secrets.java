package io.octohost.e2e;

import java.util.UUID;

/**
 * The secrets the scenarios plant (config values, registry and source passwords, credentials in
 * callback URLs): each carries {@link #PLANTED}, so that {@link OctodLogs} finds any of them in any
 * octod log after the whole suite, not only the test that planted it.
 */
public final class Secrets {
    /** The mark every planted secret begins with; nothing else in a log carries it. */
    public static final String PLANTED = "planted-secret-";

    private Secrets() {
    }

    /** A new secret: {@code planted-secret-WHAT-} and 32 random hex digits ({@code what}: letters and digits, says which). */
    public static String planted(String what) {
        return PLANTED + what + "-" + UUID.randomUUID().toString().replace("-", "");
    }
}
