package io.octohost.builds;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.BuildStatus;
import io.octohost.app.Conflict;
import io.octohost.app.NotFound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Build records and logs on disk: history, retention, capped logs, and what a restart finds. */
class BuildStoreTest {
    private static final AppName SHOP = AppName.of("shop");
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    @TempDir
    Path dir;

    private BuildStore store(int keep, long maxLog) {
        return new BuildStore(dir, keep, maxLog, Clock.systemUTC());
    }

    private static Build build(String id, int secondsAfter, Trigger trigger) {
        return Build.pending(new BuildId(id), SHOP, trigger, "ci", "commit abc", T0.plusSeconds(secondsAfter), TextNode.valueOf("m"), null);
    }

    @Test
    void buildsOfEveryTriggerAreListedNewestFirstAndSurviveANewStore() {
        BuildStore store = store(50, 1 << 20);
        store.create(build("push1", 0, Trigger.GIT_PUSH));
        store.create(build("api1", 10, Trigger.API));
        Build b = store.create(build("hook1", 20, Trigger.WEBHOOK));
        store.update(b.to(BuildStatus.QUEUED, T0.plusSeconds(21), null).to(BuildStatus.BUILDING, T0.plusSeconds(22), null)
                .to(BuildStatus.SUCCEEDED, T0.plusSeconds(30), null).withRelease("v3"));
        BuildStore reopened = store(50, 1 << 20);
        assertEquals(List.of("hook1", "api1", "push1"), reopened.list(SHOP).stream().map(x -> x.id().value()).toList());
        Build done = reopened.find(SHOP, new BuildId("hook1")).orElseThrow();
        assertEquals(BuildStatus.SUCCEEDED, done.status());
        assertEquals(T0.plusSeconds(22), done.started());
        assertEquals(T0.plusSeconds(30), done.ended());
        assertEquals("v3", done.release());
        assertEquals(Trigger.WEBHOOK, done.trigger());
        assertEquals(TextNode.valueOf("m"), done.metadata());
        assertEquals(Optional.empty(), reopened.find(SHOP, new BuildId("nope")));
        assertEquals(List.of(), reopened.list(AppName.of("other")));
    }

    @Test
    void artifactsAreKeptByteExactWholeOrNotAtAllAndGoWithTheirRecord() throws IOException {
        BuildStore store = store(1, 1 << 20);
        Build first = store.create(build("a1", 0, Trigger.GIT_PUSH));
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        store.artifacts().keep(SHOP, first.id(), "report", out -> out.write(bytes));
        assertThrows(IOException.class, () -> store.artifacts().keep(SHOP, first.id(), "half", out -> {
            out.write(bytes, 0, 10);
            throw new IOException("the copy broke");
        }));
        assertEquals(List.of(new BuildArtifacts.Artifact("report", 256)), store.artifacts().list(SHOP, first.id()));
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        store.artifacts().write(SHOP, first.id(), "report", read);
        assertEquals(java.util.HexFormat.of().formatHex(bytes), java.util.HexFormat.of().formatHex(read.toByteArray()));
        assertThrows(NotFound.class, () -> store.artifacts().write(SHOP, first.id(), "../a1.json", new ByteArrayOutputStream()));

        store.update(first.to(BuildStatus.FAILED, T0.plusSeconds(1), "x"));
        store.create(build("a2", 10, Trigger.GIT_PUSH));
        assertEquals(List.of(), store.artifacts().list(SHOP, first.id()), "dropped with its record");
        try (Stream<Path> left = Files.list(dir.resolve("shop"))) {
            assertEquals(List.of("a2.json"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void anIdIsUsedOnceAndOnlyStoredBuildsAreUpdated() {
        BuildStore store = store(50, 1 << 20);
        store.create(build("b1", 0, Trigger.API));
        assertThrows(Conflict.class, () -> store.create(build("b1", 5, Trigger.API)));
        assertThrows(NotFound.class, () -> store.update(build("b2", 0, Trigger.API)));
        assertThrows(IllegalStateException.class, () -> build("b3", 0, Trigger.API).to(BuildStatus.CANCELLED, T0, "x")
                .to(BuildStatus.BUILDING, T0, null), "an ended build never moves again");
    }

    @Test
    void theNewestBuildsAreKeptAndARunningOneNeverDropped() throws IOException {
        BuildStore store = store(3, 1 << 20);
        store.create(build("old-running", 0, Trigger.API));
        for (int i = 1; i <= 5; i++) {
            Build b = store.create(build("b" + i, i, Trigger.API));
            store.appendLog(SHOP, b.id(), "log of b" + i);
            store.update(b.to(BuildStatus.FAILED, T0.plusSeconds(i), "x"));
        }
        store.create(build("b6", 6, Trigger.API));
        assertEquals(List.of("b6", "b5", "b4", "old-running"), store.list(SHOP).stream().map(x -> x.id().value()).toList());
        try (Stream<Path> files = Files.list(dir.resolve("shop"))) {
            assertEquals(List.of("b4.json", "b4.log", "b5.json", "b5.log", "b6.json", "old-running.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the logs go with their records, no temp file stays");
        }
    }

    @Test
    void aLogPastItsCapKeepsItsEndAndSaysItWasCut() throws IOException {
        BuildStore store = store(50, 4096);
        BuildId id = store.create(build("big", 0, Trigger.GIT_PUSH)).id();
        for (int i = 1; i <= 500; i++) {
            store.appendLog(SHOP, id, String.format("line %04d of the build", i));
        }
        String log = read(store, id, false);
        assertTrue(log.length() <= 4096, "capped: " + log.length());
        assertTrue(log.startsWith(String.format(BuildStore.CUT_MARK, 4096)), log.substring(0, 80));
        assertTrue(log.endsWith("line 0500 of the build\n"), "the end is kept");
        String[] lines = log.split("\n");
        assertTrue(lines[1].matches("line \\d{4} of the build"), "the cut falls between lines: " + lines[1]);
        assertFalse(log.contains("line 0001 "));
    }

    @Test
    void followingALogEndsWithTheBuildAndMissesNoLine() throws Exception {
        BuildStore store = store(50, 1 << 20);
        Build b = store.create(build("f1", 0, Trigger.API));
        store.appendLog(SHOP, b.id(), "first");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> {
            try {
                store.writeLog(SHOP, b.id(), true, out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertFalse(following.isDone(), "it follows while the build runs");
        store.appendLog(SHOP, b.id(), "second");
        store.appendLog(SHOP, b.id(), "last");
        store.update(b.to(BuildStatus.SUCCEEDED, Instant.now(), null));
        following.get(5, TimeUnit.SECONDS);
        assertEquals("first\nsecond\nlast\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("first\nsecond\nlast\n", read(store, b.id(), false));
    }

    @Test
    void aBuildRunningWhenOctodStoppedEndsFailedAtTheNextStart() throws IOException {
        BuildStore store = store(50, 1 << 20);
        Build running = store.create(build("running", 0, Trigger.GIT_PUSH));
        store.update(running.to(BuildStatus.QUEUED, T0, null).to(BuildStatus.BUILDING, T0.plusSeconds(1), null));
        store.create(build("queued", 1, Trigger.API));
        Build done = store.create(build("done", 2, Trigger.API));
        store.update(done.to(BuildStatus.SUCCEEDED, T0.plusSeconds(3), null));

        BuildStore restarted = store(50, 1 << 20);
        assertEquals(2, restarted.recover());
        for (String id : List.of("running", "queued")) {
            Build b = restarted.find(SHOP, new BuildId(id)).orElseThrow();
            assertEquals(BuildStatus.FAILED, b.status(), id);
            assertEquals(BuildStore.STOPPED, b.reason());
            assertNotNull(b.ended());
            assertTrue(read(restarted, b.id(), false).contains(BuildStore.STOPPED));
        }
        assertEquals(BuildStatus.SUCCEEDED, restarted.find(SHOP, new BuildId("done")).orElseThrow().status());
        assertEquals(0, restarted.recover(), "nothing is left running");
    }

    @Test
    void aRecordIsWrittenWholeOrNotAtAll() throws IOException {
        BuildStore store = store(50, 1 << 20);
        store.create(Build.pending(new BuildId("b1"), SHOP, Trigger.API, "ci", "x", T0, NullNode.getInstance(), null));
        // a crash between the temp file and the rename leaves the temp file: the record is the old one
        Files.writeString(dir.resolve("shop/b1.json.tmp"), "{\"torn\":");
        assertEquals(BuildStatus.PENDING, store.find(SHOP, new BuildId("b1")).orElseThrow().status());
        assertEquals(1, store.list(SHOP).size());
    }

    private static String read(BuildStore store, BuildId id, boolean follow) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.writeLog(SHOP, id, follow, (OutputStream) out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aForgottenBuildOrAppLeavesNothingBehind() throws IOException {
        BuildStore store = store(50, 1 << 20);
        Build only = store.create(build("first", 0, Trigger.GIT_PUSH));
        store.appendLog(SHOP, only.id(), "-----> Building shop");
        store.forget(only);
        assertFalse(Files.exists(dir), "a first push that failed leaves no directory behind");

        store.create(build("b1", 0, Trigger.API));
        Build b2 = store.create(build("b2", 1, Trigger.API));
        store.forget(b2);
        assertEquals(List.of("b1"), store.list(SHOP).stream().map(b -> b.id().value()).toList());
        AppName other = AppName.of("other");
        store.create(Build.pending(new BuildId("o1"), other, Trigger.API, "ci", "x", T0, NullNode.getInstance(), null));
        store.forget(SHOP);
        assertEquals(List.of(), store.list(SHOP));
        assertFalse(Files.exists(dir.resolve("shop")));
        assertEquals(1, store.list(other).size(), "another app's builds stay");
    }
}
