package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Domains;
import io.octohost.app.Release;
import io.octohost.app.UserError;
import io.octohost.registry.ImagePublisher;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.FileStateStore;
import io.octohost.state.Releases;
import io.octohost.state.StateStore;
import io.octohost.state.StateUnavailable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deploy pipeline against fakes of the image builder, the container runner and nginx, with a real embedded store. */
class PipelineTest {
    private static final AppName HELLO = AppName.of("hello");
    private static final AppClaims.Owner OWNER = new AppClaims.Owner(HELLO, "master");
    private static final Map<String, String> DOCKERFILE = Map.of("Dockerfile", "FROM scratch\n");

    @TempDir
    Path dir;
    private final Fakes fakes = new Fakes();
    private StateStore store;
    private boolean storeDown;
    private AppClaims claims;
    private AppConfigs configs;
    private Releases releases;
    private Pipeline pipeline;

    @BeforeEach
    void setUp() {
        FileStateStore file = new FileStateStore(dir);
        store = new StateStore() {
            @Override
            public Optional<byte[]> get(String key) {
                return file.get(key);
            }

            @Override
            public SortedMap<String, byte[]> list(String prefix) {
                return file.list(prefix);
            }

            @Override
            public void apply(List<Change> changes) {
                if (storeDown && changes.stream().anyMatch(c -> c instanceof Change.Put p && p.key().startsWith("octod/releases/"))) {
                    throw new StateUnavailable("down for the test");
                }
                file.apply(changes);
            }
        };
        claims = new AppClaims(store);
        configs = new AppConfigs(store, claims, 32, new Domains("test.octohost"));
        releases = new Releases(store);
        pipeline = pipeline(Duration.ZERO);
    }

    private Pipeline pipeline(Duration drainGrace) {
        DeploySettings settings = new DeploySettings(new Domains("test.octohost"), 80, Duration.ofSeconds(5), drainGrace,
                Duration.ofSeconds(1), 5, 0, List.of(dir), 2);
        return new Pipeline(fakes.images, fakes.runner, fakes.router, ImagePublisher.NONE, store, configs, releases, claims, settings);
    }

    private Release push(char commit, Fakes.Output output) {
        return pipeline.push(new Push(HELLO, OWNER, Fakes.tree(commit, DOCKERFILE), "alice", fakes.new Branch()), output);
    }

    @Test
    void aPushBuildsStartsSwitchesRecordsThenMovesTheBranchAndTellsTheTimeOfEachStep() {
        Fakes.Output output = new Fakes.Output();
        Release v1 = push('a', output);

        assertEquals(1, v1.number());
        assertEquals(List.of("checkBranch", "build hello", "start hello v1", "healthy [c1]", "route hello [c1]", "moveBranch"),
                fakes.journal);
        assertEquals(List.of("hello.test.octohost"), fakes.router.routes().get(HELLO).domains());
        assertEquals(Optional.of(v1.number()), releases.current(HELLO).map(Release::number));
        assertEquals(Optional.of(OWNER), claims.owner(HELLO));
        String last = output.lines.get(output.lines.size() - 1);
        assertTrue(last.matches("-----> timings: build \\d+\\.\\d\\ds, start \\d+\\.\\d\\ds, ready \\d+\\.\\d\\ds,"
                + " route \\d+\\.\\d\\ds, record \\d+\\.\\d\\ds"), last);
        assertTrue(output.lines.contains("-----> hello v1 is live at http://hello.test.octohost/"), output.lines::toString);
    }

    @Test
    void aFailedHealthCheckUndoesEveryStepBeforeItInReverseAndRecordsNothing() {
        fakes.failNext("healthy");

        UserError e = assertThrows(UserError.class, () -> push('a', new Fakes.Output()));

        assertEquals("healthy failed", e.getMessage());
        // the started container goes, then the image: the reverse of how they came
        assertEquals(List.of("start hello v1", "healthy [c1]", "remove c1", "removeImage sha256:image1"),
                fakes.events("start", "healthy", "remove", "removeImage"));
        assertFalse(fakes.journal.contains("moveBranch"), "the branch moved");
        assertTrue(releases.list(HELLO).isEmpty());
        assertTrue(claims.owner(HELLO).isEmpty(), "a failed first push keeps the app's name");
        assertTrue(fakes.runner.running.isEmpty());
        assertTrue(fakes.images.built.isEmpty());
    }

    @Test
    void aPushNginxRefusesLeavesTheRunningReleaseServingAndUntouched() {
        push('a', new Fakes.Output());
        fakes.journal.clear();
        fakes.failNext("route");

        assertThrows(UserError.class, () -> push('b', new Fakes.Output()));

        assertEquals(List.of("c1"), fakes.router.routes().get(HELLO).backends().stream().map(b -> b.containerId()).toList());
        assertEquals(Set.of("c1"), fakes.runner.running.keySet());
        assertEquals(List.of(1), releases.list(HELLO).stream().map(Release::number).toList());
        assertFalse(fakes.journal.contains("moveBranch"));
    }

    @Test
    void aReleaseTheStoreCannotRecordIsUnroutedAgainAndItsContainersGo() {
        push('a', new Fakes.Output());
        fakes.journal.clear();
        storeDown = true;

        assertThrows(StateUnavailable.class, () -> pipeline.changeConfig(HELLO, ConfigEdit.of(Map.of("GREETING", "hi"), Set.of()),
                true, "alice", "config:set GREETING", new Fakes.Output()));

        // nginx goes back to the old container first, then the new one goes
        assertEquals(List.of("start hello v2", "route hello [c2]", "route hello [c1]", "remove c2"),
                fakes.events("start", "route", "remove"));
        assertEquals(Set.of("c1"), fakes.runner.running.keySet());
        assertEquals(Map.of(), configs.own(HELLO));
    }

    @Test
    void aStaleBranchIsRefusedBeforeAnythingIsBuilt() {
        Fakes.Branch branch = fakes.new Branch();
        branch.stale = true;

        assertThrows(UserError.class, () -> pipeline.push(new Push(HELLO, OWNER, Fakes.tree('a', DOCKERFILE), "alice", branch),
                new Fakes.Output()));

        assertEquals(List.of("checkBranch"), fakes.journal);
    }

    @Test
    void aTreeWithoutDockerfileIsRefusedWithItsCommit() {
        UserError e = assertThrows(UserError.class, () -> pipeline.push(new Push(HELLO, OWNER, Fakes.tree('a', Map.of()),
                "alice", fakes.new Branch()), new Fakes.Output()));
        assertEquals("no Dockerfile at the root of aaaaaaa", e.getMessage());
    }

    @Test
    void theCnameFileAddsItsDomainsToTheRoute() {
        pipeline.push(new Push(HELLO, OWNER, Fakes.tree('a', Map.of("Dockerfile", "x", "CNAME", "# mine\nwww.example.test\n")),
                "alice", fakes.new Branch()), new Fakes.Output());
        assertEquals(List.of("hello.test.octohost", "www.example.test"), fakes.router.routes().get(HELLO).domains());
        assertEquals("www.example.test", configs.own(HELLO).get("DOMAINS"));
    }

    @Test
    void drainingTheLastReleaseNeverDelaysTheNextAndNoContainerIsDrainedTwice() throws InterruptedException {
        Duration grace = Duration.ofMillis(800);
        pipeline = pipeline(grace);
        push('a', new Fakes.Output());
        long start = System.nanoTime();
        pipeline.changeConfig(HELLO, ConfigEdit.of(Map.of("A", "1"), Set.of()), true, "alice", "config:set A", new Fakes.Output());
        pipeline.rollback(HELLO, OptionalInt.empty(), "alice", new Fakes.Output());
        assertTrue(System.nanoTime() - start < grace.toNanos(), "a release waited for the drain of the one before");
        // v3 routes only to its own container, while c1 and c2 still drain
        assertEquals(List.of("c3"), fakes.router.routes().get(HELLO).backends().stream().map(b -> b.containerId()).toList());
        Thread.sleep(grace.toMillis() + 700);
        assertEquals(Set.of("c1", "c2"), Set.copyOf(fakes.runner.retired));
        assertEquals(2, fakes.runner.retired.size(), fakes.runner.retired::toString);
        assertEquals(Set.of("c3"), fakes.runner.running.keySet());
    }

    @Test
    void aConfigChangeBeforeTheFirstPushIsOnlyStored() {
        claims.claim(HELLO, OWNER);
        pipeline.changeConfig(HELLO, ConfigEdit.of(Map.of("GREETING", "hi"), Set.of()), true, "alice", "config:set", new Fakes.Output());
        assertEquals(Map.of("GREETING", "hi"), configs.own(HELLO));
        assertTrue(fakes.journal.isEmpty(), fakes.journal::toString);
    }

    @Test
    void rollbackRunsTheEarlierImageWithItsConfigWithoutABuild() {
        push('a', new Fakes.Output());
        pipeline.changeConfig(HELLO, ConfigEdit.of(Map.of("COLOR", "blue"), Set.of()), true, "alice", "config:set", new Fakes.Output());
        push('b', new Fakes.Output());
        fakes.journal.clear();

        Release back = pipeline.rollback(HELLO, OptionalInt.of(2), "alice", new Fakes.Output());

        assertEquals("rollback to v2", back.description());
        assertEquals(releases.find(HELLO, 2).orElseThrow().imageId(), back.imageId());
        assertEquals(Map.of("COLOR", "blue"), back.config());
        assertTrue(fakes.events("build").isEmpty());
    }

    @Test
    void destroyRemovesTheRouteContainersImagesAndRecords() {
        push('a', new Fakes.Output());
        pipeline.destroy(HELLO, new Fakes.Output());
        assertTrue(fakes.router.routes().isEmpty());
        assertTrue(fakes.runner.running.isEmpty());
        assertTrue(fakes.images.built.isEmpty());
        assertTrue(claims.owner(HELLO).isEmpty());
        assertTrue(releases.list(HELLO).isEmpty());
    }
}
