package io.octohost.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The app's Dockerfile with one {@code LABEL} instruction added right after the FROM of its last
 * stage, so the image carries octod's labels. Right after FROM, the step is cached from one push to
 * the next (its parent is the unchanged base image), where Docker's own build labels would add an
 * uncached step per label at the end of every build.
 */
final class LabelledDockerfile {
    private LabelledDockerfile() {
    }

    static String of(String dockerfile, Map<String, String> labels) {
        List<String> lines = new ArrayList<>(dockerfile.lines().toList());
        int lastFrom = lastFromEnd(lines, escapeOf(lines));
        if (lastFrom < 0) {
            return dockerfile; // no FROM: Docker says what is wrong
        }
        StringBuilder label = new StringBuilder("LABEL");
        new TreeMap<>(labels).forEach((k, v) -> label.append(" \"").append(k).append("\"=\"").append(v).append('"'));
        lines.add(lastFrom + 1, label.toString());
        return String.join("\n", lines) + "\n";
    }

    /** The escape character: {@code \}, or what a {@code # escape=} parser directive at the top says. */
    private static char escapeOf(List<String> lines) {
        for (String line : lines) {
            String text = line.strip();
            if (!text.startsWith("#")) {
                break; // directives come before anything else
            }
            String directive = text.substring(1).strip().toLowerCase(Locale.ROOT).replace(" ", "");
            if (directive.startsWith("escape=") && directive.length() == "escape=".length() + 1) {
                return directive.charAt(directive.length() - 1);
            }
        }
        return '\\';
    }

    /** The index of the last line of the last FROM instruction, or -1. */
    private static int lastFromEnd(List<String> lines, char escape) {
        int lastFrom = -1;
        boolean continued = false;
        boolean isFrom = false;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue; // blank lines and comments, also inside a continued instruction
            }
            if (!continued) {
                isFrom = text.toUpperCase(Locale.ROOT).matches("FROM(\\s.*)?");
            }
            continued = text.charAt(text.length() - 1) == escape;
            if (!continued && isFrom) {
                lastFrom = i;
            }
        }
        return lastFrom;
    }
}
