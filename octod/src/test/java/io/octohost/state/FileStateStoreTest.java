package io.octohost.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void valuesSurviveARestartByteExact() {
        byte[] every = new byte[256];
        for (int i = 0; i < 256; i++) {
            every[i] = (byte) i;
        }
        FileStateStore store = new FileStateStore(dir);
        store.put("octohost/hello/BYTES", every);
        store.put("octohost/hello/TEXT", "hello world = \"x\"\n$HOME ünï".getBytes(StandardCharsets.UTF_8));
        FileStateStore reopened = new FileStateStore(dir);
        assertArrayEquals(every, reopened.get("octohost/hello/BYTES").orElseThrow());
        assertEquals("hello world = \"x\"\n$HOME ünï",
                new String(reopened.get("octohost/hello/TEXT").orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void listsAPrefixOnly() {
        FileStateStore store = new FileStateStore(dir);
        store.put("octohost/hello/A", new byte[] {1});
        store.put("octohost/hello-world/A", new byte[] {2});
        store.put("octohost/hello/B", new byte[] {3});
        assertEquals(List.of("octohost/hello/A", "octohost/hello/B"), List.copyOf(store.list("octohost/hello/").keySet()));
    }

    @Test
    void aTransactionAppliesWhollyAndLeavesNoTempFile() throws Exception {
        FileStateStore store = new FileStateStore(dir);
        store.put("octohost/a/X", new byte[] {1});
        store.put("octohost/a/Y", new byte[] {2});
        store.put("octohost/b/X", new byte[] {3});
        store.apply(List.of(new StateStore.Change.DeletePrefix("octohost/a/"), new StateStore.Change.Put("octohost/c/Z", new byte[] {4}),
                new StateStore.Change.Delete("octohost/b/X")));
        FileStateStore reopened = new FileStateStore(dir);
        assertEquals(List.of("octohost/c/Z"), List.copyOf(reopened.list("octohost/").keySet()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("state.db"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aLeftoverTempFileFromACrashIsIgnored() throws Exception {
        FileStateStore store = new FileStateStore(dir);
        store.put("k", new byte[] {1});
        Files.writeString(dir.resolve("state.db.tmp"), "torn wri");
        FileStateStore reopened = new FileStateStore(dir);
        assertArrayEquals(new byte[] {1}, reopened.get("k").orElseThrow());
        reopened.put("k", new byte[] {2});
        assertArrayEquals(new byte[] {2}, new FileStateStore(dir).get("k").orElseThrow());
        assertFalse(Files.exists(dir.resolve("state.db.tmp")));
        assertTrue(Files.exists(dir.resolve("state.db")));
    }
}
