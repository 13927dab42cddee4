package io.octohost.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counts of containers by process type: {@code ps:scale}'s arguments ({@code web=2 worker=1}, or a
 * bare {@code N} for web) and the PS_SCALE key that keeps the counts of the types other than web
 * (web's are CONTAINERS).
 */
public final class ScaleCounts {
    private ScaleCounts() {
    }

    /** PS_SCALE's counts by type: {@code TYPE=N} words, web never among them. */
    public static SortedMap<String, Integer> parse(String value, int maxContainers) {
        SortedMap<String, Integer> counts = new TreeMap<>();
        for (String word : value.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            String type = eq < 0 ? word : word.substring(0, eq);
            if (eq < 0 || !Procfile.isType(type) || Procfile.WEB.equals(type)) {
                throw new UserError("invalid " + ConfigKeys.PS_SCALE + " '" + Printable.of(word, 80)
                        + "': give TYPE=N words for process types other than web (web's count is " + ConfigKeys.CONTAINERS + ")");
            }
            counts.put(type, ConfigKeys.containers(word.substring(eq + 1), maxContainers));
        }
        return counts;
    }

    /** PS_SCALE's value for these counts (web's left out: it is CONTAINERS). */
    public static String format(Map<String, Integer> counts) {
        return String.join(" ", new TreeMap<>(counts).entrySet().stream().filter(e -> !Procfile.WEB.equals(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /**
     * {@code ps:scale}'s arguments: {@code TYPE=N} pairs of the app's {@code types}, or one bare
     * {@code N}, which means {@code web=N}. An unknown type fails, listing the app's types.
     */
    public static SortedMap<String, Integer> arguments(List<String> args, Iterable<String> types, int maxContainers) {
        if (args.size() == 1 && args.get(0).indexOf('=') < 0) {
            return new TreeMap<>(Map.of(Procfile.WEB, ConfigKeys.containers(args.get(0), maxContainers)));
        }
        List<String> known = new ArrayList<>();
        types.forEach(known::add);
        SortedMap<String, Integer> counts = new TreeMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new UserError("invalid scale '" + Printable.of(arg, 80) + "': give N, or TYPE=N pairs such as web=2 worker=1");
            }
            String type = arg.substring(0, eq);
            if (!known.contains(type)) {
                throw new UserError("unknown process type '" + Printable.of(type, 80) + "': the app's types are "
                        + String.join(", ", known));
            }
            if (counts.put(type, ConfigKeys.containers(arg.substring(eq + 1), maxContainers)) != null) {
                throw new UserError("process type " + type + " is scaled twice");
            }
        }
        return counts;
    }
}
