package io.octohost.build;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** octod's labels go right after the FROM of the last stage, whatever the Dockerfile looks like. */
class LabelledDockerfileTest {
    private static final Map<String, String> LABELS = Map.of("octohost.instance", "0c5e1a7b-4d2f", "octohost.app", "hello");
    private static final String LABEL = "LABEL \"octohost.app\"=\"hello\" \"octohost.instance\"=\"0c5e1a7b-4d2f\"";

    @Test
    void oneStage() {
        assertEquals("FROM octohost/busybox:latest\n" + LABEL + "\nCOPY www /www\nCMD [\"httpd\"]\n",
                LabelledDockerfile.of("FROM octohost/busybox:latest\nCOPY www /www\nCMD [\"httpd\"]", LABELS));
    }

    @Test
    void theLastStageOfSeveral() {
        String df = "# build\nFROM octohost/busybox:latest AS build\nRUN echo x > /x\n\nfrom octohost/busybox:latest\nCOPY --from=build /x /x\n";
        assertEquals("# build\nFROM octohost/busybox:latest AS build\nRUN echo x > /x\n\nfrom octohost/busybox:latest\n" + LABEL
                + "\nCOPY --from=build /x /x\n", LabelledDockerfile.of(df, LABELS));
    }

    @Test
    void aFromOverSeveralLinesAndAFromInsideARunAreTold() {
        String df = "ARG BASE=octohost/busybox:latest\nFROM \\\n  # the base\n  $BASE\nRUN echo \\\nFROM nothing\nEXPOSE 80\n";
        assertEquals("ARG BASE=octohost/busybox:latest\nFROM \\\n  # the base\n  $BASE\n" + LABEL + "\nRUN echo \\\nFROM nothing\nEXPOSE 80\n",
                LabelledDockerfile.of(df, LABELS));
    }

    @Test
    void anEscapeDirectiveChangesTheContinuation() {
        String df = "# escape=`\nFROM octohost/busybox:latest `\n  AS app\nRUN echo \\\nCMD x\n";
        assertEquals("# escape=`\nFROM octohost/busybox:latest `\n  AS app\n" + LABEL + "\nRUN echo \\\nCMD x\n",
                LabelledDockerfile.of(df, LABELS));
    }

    @Test
    void withoutFromNothingChanges() {
        assertEquals("RUN true\n", LabelledDockerfile.of("RUN true\n", LABELS));
    }
}
