package io.octohost.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.octohost.app.Json;
import io.octohost.app.UserError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The text form of octod's whole state, for {@code octo state:export} and {@code state:import}: JSON
 * lines, a header and then one line per key, in key order, the value base64-encoded so that any bytes
 * survive (newlines, quotes, bytes that are not UTF-8):
 *
 * <pre>
 * {"octohost-state":1}
 * {"key":"octohost/hello/DOMAINS","value":"d3d3LmV4YW1wbGUudGVzdA=="}
 * </pre>
 *
 * The embedded store's own file ({@code DATA_DIR/state/state.db}) is read too.
 */
public final class StateDump {
    /** What is exported and imported: app config (octohost's layout) and octod's own records. */
    public static final List<String> PREFIXES = List.of(AppConfigs.PREFIX, "octod/");
    static final String HEADER_FIELD = "octohost-state";
    private static final String STATE_DB_HEADER = FileStateStore.HEADER;

    private StateDump() {
    }

    /** Every key under {@link #PREFIXES}, in key order. */
    public static SortedMap<String, byte[]> read(StateStore store) {
        TreeMap<String, byte[]> all = new TreeMap<>();
        for (String prefix : PREFIXES) {
            all.putAll(store.list(prefix));
        }
        return all;
    }

    public static String write(SortedMap<String, byte[]> entries) {
        StringBuilder out = new StringBuilder();
        ObjectNode header = Json.MAPPER.createObjectNode();
        header.put(HEADER_FIELD, 1);
        out.append(header).append('\n');
        Base64.Encoder b64 = Base64.getEncoder();
        entries.forEach((key, value) -> {
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("key", key);
            line.put("value", b64.encodeToString(value));
            out.append(line).append('\n');
        });
        return out.toString();
    }

    /** Parses and checks a whole dump; fails on the first bad line, naming it, before anything is changed. */
    public static SortedMap<String, byte[]> parse(String text) {
        List<String> lines = text.lines().toList();
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first == lines.size()) {
            throw new UserError("no input: give state:import the output of state:export on standard input");
        }
        String header = lines.get(first).strip();
        TreeMap<String, byte[]> entries = new TreeMap<>();
        if (header.equals(STATE_DB_HEADER)) {
            parseStateDb(lines, first + 1, entries);
        } else {
            checkHeader(header, first + 1);
            parseJsonLines(lines, first + 1, entries);
        }
        return entries;
    }

    private static void checkHeader(String line, int number) {
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            if (node != null && node.isObject() && node.path(HEADER_FIELD).isInt()) {
                if (node.get(HEADER_FIELD).asInt() != 1) {
                    throw new UserError("line " + number + ": state format version " + node.get(HEADER_FIELD).asInt()
                            + " is not supported (this octod reads version 1)");
                }
                return;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new UserError("line " + number + ": not an octohost state export (the first line must be {\"" + HEADER_FIELD + "\":1})");
    }

    private static void parseJsonLines(List<String> lines, int from, TreeMap<String, byte[]> entries) {
        Base64.Decoder b64 = Base64.getDecoder();
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw new UserError("line " + number + ": not JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject() || !node.path("key").isTextual() || !node.path("value").isTextual()) {
                throw new UserError("line " + number + ": expected {\"key\": \"...\", \"value\": \"<base64>\"}");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("key") && !name.equals("value")) {
                    throw new UserError("line " + number + ": unknown field '" + name + "'");
                }
            }
            byte[] value;
            try {
                value = b64.decode(node.get("value").asText());
            } catch (IllegalArgumentException e) {
                throw new UserError("line " + number + ": the value is not base64");
            }
            add(entries, node.get("key").asText(), value, number);
        }
    }

    private static void parseStateDb(List<String> lines, int from, TreeMap<String, byte[]> entries) {
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            if (line.isBlank()) {
                continue;
            }
            Map.Entry<String, byte[]> entry;
            try {
                entry = FileStateStore.decodeLine(line);
            } catch (IllegalArgumentException e) {
                throw new UserError("line " + number + ": " + (e.getMessage().startsWith("expected") ? e.getMessage() : "not base64"));
            }
            add(entries, entry.getKey(), entry.getValue(), number);
        }
    }

    private static void add(TreeMap<String, byte[]> entries, String key, byte[] value, int number) {
        if (PREFIXES.stream().noneMatch(p -> key.startsWith(p) && key.length() > p.length())) {
            throw new UserError("line " + number + ": key '" + printable(key) + "' is outside " + String.join(" and ", PREFIXES));
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new UserError("line " + number + ": key '" + printable(key) + "' has control characters");
        }
        if (entries.put(key, value) != null) {
            throw new UserError("line " + number + ": key '" + printable(key) + "' appears twice");
        }
    }

    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        key.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /**
     * The changes that make the store hold {@code wanted}: a put for each key that is new or
     * different, and with {@code replace} a delete for each key under the prefixes that
     * {@code wanted} lacks. Unchanged keys are left alone.
     */
    public static List<StateStore.Change> changes(SortedMap<String, byte[]> current, SortedMap<String, byte[]> wanted,
                                                  boolean replace) {
        List<StateStore.Change> changes = new ArrayList<>();
        if (replace) {
            for (String key : current.keySet()) {
                if (!wanted.containsKey(key)) {
                    changes.add(new StateStore.Change.Delete(key));
                }
            }
        }
        for (Map.Entry<String, byte[]> e : wanted.entrySet()) {
            byte[] now = current.get(e.getKey());
            if (now == null || !java.util.Arrays.equals(now, e.getValue())) {
                changes.add(new StateStore.Change.Put(e.getKey(), e.getValue()));
            }
        }
        return changes;
    }
}
