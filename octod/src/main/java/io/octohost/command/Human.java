package io.octohost.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one formatter of what octo prints for people (--json is exact and goes through Jackson):
 * a listing is aligned columns under a header, or, when empty, one line on stderr; a single record
 * is aligned "Label:  value" lines. Times read as the local date and minute, or "5 min ago" within
 * the hour; a missing value is "-"; a list is comma-separated; control characters are escaped,
 * so one cell is one line.
 */
final class Human {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final String GAP = "  ";

    private Human() {
    }

    /** A listing with these column headers. */
    static Table table(String... headers) {
        return new Table(List.of(headers));
    }

    /** A record shown as one "Label:  value" line per field. */
    static Fields fields() {
        return new Fields();
    }

    /** One cell's text: the single rule for times, nothing, lists and control characters. */
    static String cell(Object value, Clock clock) {
        if (value instanceof Optional<?> o) {
            return cell(o.orElse(null), clock);
        }
        if (value == null) {
            return "-";
        }
        if (value instanceof Instant t) {
            return time(t, clock);
        }
        if (value instanceof Collection<?> c) {
            return c.isEmpty() ? "-" : String.join(", ", c.stream().map(v -> cell(v, clock)).toList());
        }
        return escape(value.toString());
    }

    /** The first {@code length} characters of an id (a commit, a container), as people quote it. */
    static String shortId(String id, int length) {
        return id == null || id.length() <= length ? id : id.substring(0, length);
    }

    static String time(Instant t, Clock clock) {
        Duration age = Duration.between(t, clock.instant());
        if (!age.isNegative() && age.compareTo(Duration.ofMinutes(1)) < 0) {
            return "just now";
        }
        if (!age.isNegative() && age.compareTo(Duration.ofHours(1)) < 0) {
            return age.toMinutes() + " min ago";
        }
        return MINUTE.format(t.atZone(clock.getZone()));
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - width(text)));
    }

    /** Rows under a header; columns as wide as their widest cell, two spaces apart, no trailing blanks. */
    static final class Table {
        private final List<String> headers;
        private final List<Object[]> rows = new ArrayList<>();

        private Table(List<String> headers) {
            this.headers = headers;
        }

        Table row(Object... cells) {
            if (cells.length != headers.size()) {
                throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
            }
            rows.add(cells);
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        /** Prints the table, or, when it has no rows, {@code whenEmpty} as one line on stderr. */
        void print(Invocation inv, String whenEmpty) {
            if (rows.isEmpty()) {
                inv.err().println(whenEmpty);
                return;
            }
            List<List<String>> lines = new ArrayList<>();
            lines.add(headers);
            rows.forEach(r -> lines.add(Arrays.stream(r).map(c -> cell(c, inv.clock())).toList()));
            int[] widths = new int[headers.size()];
            lines.forEach(l -> {
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], width(l.get(i)));
                }
            });
            for (List<String> line : lines) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < widths.length; i++) {
                    text.append(i == widths.length - 1 ? line.get(i) : pad(line.get(i), widths[i]) + GAP);
                }
                inv.out().println(text.toString().stripTrailing());
            }
        }
    }

    /** Labelled values, one a line, the values aligned. */
    static final class Fields {
        private final List<String> labels = new ArrayList<>();
        private final List<Object> values = new ArrayList<>();

        private Fields() {
        }

        Fields field(String label, Object value) {
            labels.add(label + ":");
            values.add(value);
            return this;
        }

        void print(Invocation inv) {
            int width = labels.stream().mapToInt(Human::width).max().orElse(0);
            for (int i = 0; i < labels.size(); i++) {
                inv.out().println((pad(labels.get(i), width) + GAP + cell(values.get(i), inv.clock())).stripTrailing());
            }
        }
    }
}
