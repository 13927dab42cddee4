package io.octohost.app;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The --json listings: one line, object keys sorted, nulls kept, strings escaped. */
class JsonTest {
    @Test
    void writesOneLineWithSortedKeys() {
        Map<String, Object> info = new HashMap<>();
        info.put("name", "hello");
        info.put("release", null);
        info.put("containers", List.of(Map.of("port", 32768, "state", "running")));
        info.put("domains", List.of("hello.test", "a \"quoted\"\tdomain\n"));
        info.put("current", true);
        assertEquals("{\"containers\":[{\"port\":32768,\"state\":\"running\"}],\"current\":true,"
                + "\"domains\":[\"hello.test\",\"a \\\"quoted\\\"\\tdomain\\n\"],\"name\":\"hello\",\"release\":null}", Json.write(info));
    }

    @Test
    void writesListsOfStringsAndUnicode() {
        assertEquals("[\"grüße ✓\",\"\\u0001\"]", Json.write(Arrays.asList("grüße ✓", "\u0001")));
    }
}
