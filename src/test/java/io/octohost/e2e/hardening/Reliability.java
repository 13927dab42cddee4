package io.octohost.e2e.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.octohost.e2e.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the hardening scenarios tried, written as they run: each bad input refused, each fault
 * survived, each limit enforced, as JSON lines under {@code target/reliability/} (one file per test
 * class). {@link #writeReport()} turns every file there into RELIABILITY.md; with
 * {@code -Doctohost.reliability.publish=true} it goes to the repo's root as well.
 */
final class Reliability {
    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final Path DIR = Path.of(System.getProperty("octohost.e2e.target", "target"), "reliability");

    private Reliability() {
    }

    /** A bad input that was refused with the message and changed nothing. */
    static void input(Class<?> test, String category, String input, String via, String message) {
        append(test, Map.of("kind", "input", "category", category, "input", input, "via", via, "message", message));
    }

    /** A fault octod survived: after it the last good release served, the next push worked, nothing was lost. */
    static void fault(Class<?> test, String fault, String outcome) {
        append(test, Map.of("kind", "fault", "fault", fault, "outcome", outcome));
    }

    /** A limit that held, and how it showed. */
    static void limit(Class<?> test, String limit, String setting, String shown) {
        append(test, Map.of("kind", "limit", "limit", limit, "setting", setting, "shown", shown));
    }

    /** Starts the class's file afresh: a run records what it tried, not what an earlier run did. */
    static void start(Class<?> test) {
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(file(test));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(Class<?> test) {
        return DIR.resolve(test.getSimpleName() + ".jsonl");
    }

    private static synchronized void append(Class<?> test, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("test", test.getSimpleName());
        all.put("time", Instant.now().toString());
        try {
            Files.createDirectories(DIR);
            Files.writeString(file(test), WRITER.writeValueAsString(all) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> entries() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        if (!Files.isDirectory(DIR)) {
            return all;
        }
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        all.add(fields(Json.parse(line)));
                    }
                }
            }
        }
        return all;
    }

    private static Map<String, Object> fields(JsonNode entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        entry.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
        return fields;
    }

    /** Writes RELIABILITY.md from every file under target/reliability; returns where. */
    static synchronized Path writeReport() {
        try {
            List<Map<String, Object>> all = entries();
            Path out = DIR.resolve("RELIABILITY.md");
            Files.writeString(out, report(all), StandardCharsets.UTF_8);
            if (Boolean.getBoolean("octohost.reliability.publish")) {
                Files.copy(out, Path.of(System.getProperty("octohost.root", ".")).resolve("RELIABILITY.md"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String report(List<Map<String, Object>> all) {
        List<Map<String, Object>> inputs = all.stream().filter(e -> "input".equals(e.get("kind"))).toList();
        List<Map<String, Object>> faults = all.stream().filter(e -> "fault".equals(e.get("kind"))).toList();
        List<Map<String, Object>> limits = all.stream().filter(e -> "limit".equals(e.get("kind"))).toList();
        long distinct = inputs.stream().map(e -> e.get("category") + "\u0000" + e.get("input") + "\u0000" + e.get("via")).distinct().count();
        StringBuilder md = new StringBuilder();
        md.append("# Reliability\n\n")
                .append("Written by the hardening scenarios (`src/test/java/io/octohost/e2e/hardening/`, tag `docker`) from their last run\n")
                .append("(`scripts/reliability`): each line below is something a scenario did to a real octod, with real git, ssh,\n")
                .append("Docker and nginx, and what it checked. A bad input counts when it was refused with the message shown and\n")
                .append("the state, the images, the routes and the other apps were the same afterwards. A fault counts when, after it,\n")
                .append("the last good release served, the next push worked and nothing was lost.\n\n")
                .append("- bad inputs refused: **").append(distinct).append("** distinct\n")
                .append("- faults survived: **").append(faults.size()).append("**\n")
                .append("- limits enforced: **").append(limits.size()).append("**\n\n");
        md.append("## Bad inputs\n\n");
        Map<String, List<Map<String, Object>>> byCategory = new TreeMap<>();
        inputs.forEach(e -> byCategory.computeIfAbsent(String.valueOf(e.get("category")), k -> new ArrayList<>()).add(e));
        byCategory.forEach((category, list) -> {
            md.append("### ").append(category).append(" (").append(list.size()).append(")\n\n");
            md.append("| input | via | refused with |\n|---|---|---|\n");
            list.forEach(e -> md.append("| ").append(cell(e.get("input"))).append(" | ").append(cell(e.get("via"))).append(" | ")
                    .append(cell(e.get("message"))).append(" |\n"));
            md.append('\n');
        });
        md.append("## Faults\n\n| fault | what happened, and what was checked after it |\n|---|---|\n");
        faults.forEach(e -> md.append("| ").append(cell(e.get("fault"))).append(" | ").append(cell(e.get("outcome"))).append(" |\n"));
        md.append("\n## Limits\n\n| limit | setting | how it showed |\n|---|---|---|\n");
        limits.forEach(e -> md.append("| ").append(cell(e.get("limit"))).append(" | ").append(cell(e.get("setting"))).append(" | ")
                .append(cell(e.get("shown"))).append(" |\n"));
        return md.toString();
    }

    private static String cell(Object value) {
        String s = String.valueOf(value).replace("|", "\\|").replace("\n", " ");
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return "`" + out.toString().replace("`", "'") + "`";
    }
}
