package io.octohost.state;

import io.octohost.app.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDumpTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<String, byte[]> sample() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        TreeMap<String, byte[]> m = new TreeMap<>();
        m.put("octohost/hello/BYTES", all);
        m.put("octohost/hello/DOMAINS", utf8("a.test b.test"));
        m.put("octohost/hello/GREETING", utf8("hello world = \"x\" $HOME\nline 2 ✓ 😀"));
        m.put("octohost/hello/EMPTY", new byte[0]);
        m.put("octod/keys/alice", utf8("admin\nssh-ed25519 AAAA alice"));
        return m;
    }

    @Test
    void writeThenParseIsLossless() {
        SortedMap<String, byte[]> in = sample();
        String text = StateDump.write(in);
        assertTrue(text.startsWith("{\"octohost-state\":1}\n"), text);
        assertEquals(in.size() + 1, text.lines().count(), "one line per key");
        SortedMap<String, byte[]> out = parse(text);
        assertEquals(in.keySet(), out.keySet());
        in.forEach((k, v) -> assertArrayEquals(v, out.get(k), k));
        assertEquals(text, StateDump.write(out));
    }

    @Test
    void theEmbeddedStoresFileIsReadToo(@TempDir Path dir) throws Exception {
        FileStateStore store = new FileStateStore(dir);
        sample().forEach(store::put);
        SortedMap<String, byte[]> out = parse(Files.readString(dir.resolve("state.db")));
        assertEquals(sample().keySet(), out.keySet());
        sample().forEach((k, v) -> assertArrayEquals(v, out.get(k), k));
    }

    @Test
    void badInputIsRefusedNamingTheLine() {
        String h = "{\"octohost-state\":1}\n";
        assertMessage("no input", "");
        assertMessage("line 1: not an octohost state export", "hello\n");
        assertMessage("line 1: state format version 2", "{\"octohost-state\":2}\n");
        assertMessage("line 2: not JSON", h + "{nope\n");
        assertMessage("line 2: the value is not base64", h + "{\"key\":\"octohost/a/B\",\"value\":\"***\"}\n");
        assertMessage("line 2: key 'other/x' is outside octohost/ and octod/", h + "{\"key\":\"other/x\",\"value\":\"\"}\n");
        assertMessage("line 3: key 'octohost/a/B' appears twice",
                h + "{\"key\":\"octohost/a/B\",\"value\":\"\"}\n{\"key\":\"octohost/a/B\",\"value\":\"\"}\n");
        assertMessage("line 2: unknown field 'extra'", h + "{\"key\":\"octohost/a/B\",\"value\":\"\",\"extra\":1}\n");
        assertMessage("line 2: expected", h + "[1,2]\n");
        assertMessage("control characters", h + "{\"key\":\"octohost/a/\\nB\",\"value\":\"\"}\n");
    }

    /** Parses with no check of the records (Records' checks are RecordsTest's). */
    private static SortedMap<String, byte[]> parse(String text) {
        return StateDump.parse(text, (key, value) -> { }).entries();
    }

    private static void assertMessage(String expected, String input) {
        UserError e = assertThrows(UserError.class, () -> parse(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void changesTouchOnlyWhatDiffers() {
        TreeMap<String, byte[]> current = new TreeMap<>();
        current.put("octohost/a/SAME", utf8("1"));
        current.put("octohost/a/OLD", utf8("2"));
        current.put("octohost/a/GONE", utf8("3"));
        TreeMap<String, byte[]> wanted = new TreeMap<>();
        wanted.put("octohost/a/SAME", utf8("1"));
        wanted.put("octohost/a/OLD", utf8("new"));
        wanted.put("octohost/a/NEW", utf8("4"));

        List<StateStore.Change> merge = StateDump.changes(current, wanted, false);
        assertEquals(List.of("octohost/a/NEW", "octohost/a/OLD"),
                merge.stream().map(c -> ((StateStore.Change.Put) c).key()).toList());
        List<StateStore.Change> replace = StateDump.changes(current, wanted, true);
        assertEquals(3, replace.size());
        assertEquals(new StateStore.Change.Delete("octohost/a/GONE"), replace.get(0));
    }
}
