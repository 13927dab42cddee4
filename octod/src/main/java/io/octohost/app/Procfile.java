package io.octohost.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's process types, Heroku's {@code Procfile}: {@code type: command} lines, {@code #} comments
 * and blank lines. {@code web} is always a type: the Procfile's web line, else the image's CMD; it is
 * the one nginx routes. Every other type runs the same image with its command, unrouted.
 */
public final class Procfile {
    public static final String WEB = "web";
    /** Where octod reads it: the root of the built source. */
    public static final String FILE = "Procfile";
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern LINE = Pattern.compile("([^:]*?)\\s*:\\s*(.*)");
    private static final int MAX_TYPE = 63;

    private Procfile() {
    }

    /** The types and their commands; fails with a one-line error naming the first malformed line. */
    public static SortedMap<String, String> parse(byte[] content) {
        return parse(new String(content, StandardCharsets.UTF_8));
    }

    public static SortedMap<String, String> parse(String content) {
        SortedMap<String, String> types = new TreeMap<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw malformed(i, line, "give 'type: command'");
            }
            String type = m.group(1);
            if (!isType(type)) {
                throw malformed(i, line, "a process type is letters, digits, '_' and '-' (at most " + MAX_TYPE + ")");
            }
            if (m.group(2).isBlank()) {
                throw malformed(i, line, "the command of " + type + " is empty");
            }
            if (m.group(2).strip().startsWith("[") && execForm(m.group(2).strip()).isEmpty()) {
                throw malformed(i, line, "an exec form command is a JSON array of strings, not empty");
            }
            if (types.putIfAbsent(type, m.group(2).strip()) != null) {
                throw malformed(i, line, type + " is defined twice");
            }
        }
        return types;
    }

    /**
     * What a container of the type runs (its CMD), as Heroku and dokku run it: a JSON array as it is
     * (the exec form), anything else through {@code sh -c}.
     */
    public static List<String> command(String command) {
        return command.startsWith("[") ? execForm(command) : List.of("sh", "-c", command);
    }

    private static List<String> execForm(String command) {
        try {
            List<String> words = Json.MAPPER.readValue(command, new TypeReference<List<String>>() { });
            return words.contains(null) ? List.of() : List.copyOf(words);
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    /** Whether a name is a process type a Procfile may define. */
    public static boolean isType(String name) {
        return name != null && name.length() <= MAX_TYPE && TYPE.matcher(name).matches();
    }

    private static UserError malformed(int index, String line, String why) {
        return new UserError("Procfile line " + (index + 1) + " is malformed (" + why + "): " + Printable.of(line, 80));
    }
}
