package io.octohost.deploy;

import io.octohost.Await;
import io.octohost.app.AppName;
import io.octohost.app.ArtifactSink;
import io.octohost.app.BuildControl;
import io.octohost.app.BuildStatus;
import io.octohost.app.Domains;
import io.octohost.app.Release;
import io.octohost.app.Stopped;
import io.octohost.app.UserError;
import io.octohost.registry.ImagePublisher;
import io.octohost.source.DirSourceArchive;
import io.octohost.source.ImageRef;
import io.octohost.source.Source;
import io.octohost.state.AppClaims;
import io.octohost.state.AppConfigs;
import io.octohost.state.ClusterLocks;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
        ClusterLocks locks = (name, onWait) -> {
            fakes.journal.add("lock " + name);
            return () -> fakes.journal.add("unlock " + name);
        };
        return new Pipeline(fakes.images, fakes.sources, fakes.registries, fakes.runner, fakes.router, ImagePublisher.NONE, store,
                configs, releases, claims, locks, settings, fakes.sandbox, new DirSourceArchive(dir.resolve("archives")));
    }

    private Release push(char commit, Fakes.Output output) {
        return pipeline.push(new Push(HELLO, OWNER, Fakes.tree(commit, DOCKERFILE), "alice", fakes.new Branch()), output, BuildControl.none(), ArtifactSink.NONE);
    }

    @Test
    void aPushBuildsStartsSwitchesRecordsThenMovesTheBranchAndTellsTheTimeOfEachStep() {
        Fakes.Output output = new Fakes.Output();
        Release v1 = push('a', output);

        assertEquals(1, v1.number());
        assertEquals(List.of("lock hello", "checkBranch", "build hello", "start hello v1", "healthy [c1]", "route hello [c1]",
                "moveBranch", "unlock hello"), fakes.journal);
        assertEquals(List.of("hello.test.octohost"), fakes.router.routes().get(HELLO).domains());
        assertEquals(Optional.of(v1.number()), releases.current(HELLO).map(Release::number));
        assertEquals(Optional.of(OWNER), claims.owner(HELLO));
        String last = output.lines.get(output.lines.size() - 1);
        assertTrue(last.matches("-----> timings: build \\d+\\.\\d\\ds, start \\d+\\.\\d\\ds, ready \\d+\\.\\d\\ds,"
                + " archive \\d+\\.\\d\\ds, route \\d+\\.\\d\\ds, record \\d+\\.\\d\\ds"), last);
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
                new Fakes.Output(), BuildControl.none(), ArtifactSink.NONE));

        assertEquals(List.of("lock hello", "checkBranch", "unlock hello"), fakes.journal);
    }

    @Test
    void aTreeWithoutDockerfileIsRefusedWithItsCommit() {
        UserError e = assertThrows(UserError.class, () -> pipeline.push(new Push(HELLO, OWNER, Fakes.tree('a', Map.of()),
                "alice", fakes.new Branch()), new Fakes.Output(), BuildControl.none(), ArtifactSink.NONE));
        assertEquals("no Dockerfile at the root of aaaaaaa", e.getMessage());
    }

    @Test
    void theCnameFileAddsItsDomainsToTheRoute() {
        pipeline.push(new Push(HELLO, OWNER, Fakes.tree('a', Map.of("Dockerfile", "x", "CNAME", "# mine\nwww.example.test\n")),
                "alice", fakes.new Branch()), new Fakes.Output(), BuildControl.none(), ArtifactSink.NONE);
        assertEquals(List.of("hello.test.octohost", "www.example.test"), fakes.router.routes().get(HELLO).domains());
        assertEquals("www.example.test", configs.own(HELLO).get("DOMAINS"));
    }

    @Test
    void drainingTheLastReleaseNeverDelaysTheNextAndNoContainerIsDrainedTwice() throws InterruptedException {
        // far longer than two releases take with fakes: a release that waited for a drain finds its container retired
        pipeline = pipeline(Duration.ofSeconds(5));
        push('a', new Fakes.Output());
        pipeline.changeConfig(HELLO, ConfigEdit.of(Map.of("A", "1"), Set.of()), true, "alice", "config:set A", new Fakes.Output());
        pipeline.rollback(HELLO, OptionalInt.empty(), "alice", new Fakes.Output());
        assertEquals(List.of(), fakes.runner.retired, "a release waited for the drain of the one before");
        // v3 routes only to its own container, while c1 and c2 still drain
        assertEquals(List.of("c3"), fakes.router.routes().get(HELLO).backends().stream().map(b -> b.containerId()).toList());
        Await.until("c1 and c2 drained", Duration.ofSeconds(60), () -> fakes.runner.retired.size() >= 2);
        // a second drain of either would come right after the first (the two were handed over moments apart)
        Thread.sleep(1000);
        assertEquals(Set.of("c1", "c2"), Set.copyOf(fakes.runner.retired));
        assertEquals(2, fakes.runner.retired.size(), fakes.runner.retired::toString);
        assertEquals(Set.of("c3"), fakes.runner.running.keySet());
    }

    @Test
    void aConfigChangeBeforeTheFirstPushIsOnlyStored() {
        claims.claim(HELLO, OWNER);
        pipeline.changeConfig(HELLO, ConfigEdit.of(Map.of("GREETING", "hi"), Set.of()), true, "alice", "config:set", new Fakes.Output());
        assertEquals(Map.of("GREETING", "hi"), configs.own(HELLO));
        assertEquals(List.of("lock hello", "unlock hello"), fakes.journal);
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

    private SourceBuild tarball(Map<String, String> arguments, Optional<ImageRef> destination) {
        return new SourceBuild(HELLO, Source.parse("https://ci.test/hello.tar.gz"), destination, arguments, "ci", "build b1");
    }

    @Test
    void aBuildOfAFetchedSourceBuildsWithTheAppsBuildArgsUnderItsOwnAndPushesToItsDestinationBeforeItStarts() {
        push('a', new Fakes.Output());
        store.apply(configs.changesTo(HELLO, new java.util.TreeMap<>(Map.of("EXTRA_BUILD_ARGS", "A=app B='from app'"))));
        fakes.journal.clear();
        AtomicInteger building = new AtomicInteger();

        Release v2 = pipeline.build(tarball(Map.of("B", "from the build"), Optional.of(ImageRef.parse("docker://u:p@reg.test/org/hello:2"))),
                new Fakes.Output(), new BuildControl(building::incrementAndGet), ArtifactSink.NONE);

        assertEquals(2, v2.number());
        assertEquals(Optional.of("f".repeat(40)), v2.commit().map(c -> c.sha()));
        assertEquals("build b1", v2.description());
        assertEquals(List.of("lock hello", "fetch https://ci.test/hello.tar.gz", "build hello", "push sha256:image2 reg.test/org/hello:2",
                "start hello v2", "healthy [c2]", "route hello [c2]", "unlock hello"), fakes.journal);
        assertEquals(Map.of("A", "app", "B", "from the build"), fakes.images.args.get(1));
        assertEquals(1, building.get());
    }

    @Test
    void anImageSourceIsPulledAndRunAsItIsWithoutABuildOrACommit() {
        Release v1 = pipeline.build(new SourceBuild(HELLO, Source.parse("docker://reg.test/org/hello:1"), Optional.empty(), Map.of(), "ci",
                "build i1"), new Fakes.Output(), BuildControl.none(), ArtifactSink.NONE);

        assertEquals(Optional.empty(), v1.commit());
        assertEquals("sha256:pulled", v1.imageId());
        assertEquals(OptionalInt.of(8080), v1.port());
        assertTrue(fakes.events("build", "fetch").isEmpty(), fakes.journal::toString);
        assertEquals(List.of("pull reg.test/org/hello:1", "start hello v1"), fakes.events("pull", "start"));
        assertEquals(Optional.empty(), releases.find(HELLO, 1).orElseThrow().commit(), "a release without a commit is stored as such");
    }

    @Test
    void aBuildStoppedWhileItBuildsIsUndoneAndTheRunningReleaseKeepsServing() throws Exception {
        push('a', new Fakes.Output());
        fakes.journal.clear();
        fakes.images.hold = new CountDownLatch(1);
        BuildControl control = BuildControl.none();
        CompletableFuture<Release> build = CompletableFuture.supplyAsync(() -> pipeline.build(tarball(Map.of(), Optional.empty()),
                new Fakes.Output(), control, ArtifactSink.NONE));
        assertTrue(fakes.images.building.await(5, TimeUnit.SECONDS));

        assertTrue(control.stop(BuildStatus.CANCELLED, "cancelled by alice"));

        Exception e = assertThrows(Exception.class, () -> build.get(5, TimeUnit.SECONDS));
        Stopped stopped = (Stopped) e.getCause();
        assertEquals(BuildStatus.CANCELLED, stopped.status());
        assertEquals("cancelled by alice", stopped.getMessage());
        assertTrue(fakes.events("start", "route").isEmpty(), fakes.journal::toString);
        assertEquals(List.of("c1"), fakes.router.routes().get(HELLO).backends().stream().map(b -> b.containerId()).toList());
        assertEquals(List.of(1), releases.list(HELLO).stream().map(Release::number).toList());
        assertFalse(control.stop(BuildStatus.CANCELLED, "again"), "a build is stopped once");
    }

    @Test
    void aBuildWaitingForTheAppsLockCanBeStoppedAndOnceSealedItCannot() throws Exception {
        fakes.images.hold = new CountDownLatch(1);
        BuildControl first = BuildControl.none();
        CompletableFuture<Release> running = CompletableFuture.supplyAsync(() -> pipeline.build(tarball(Map.of(), Optional.empty()),
                new Fakes.Output(), first, ArtifactSink.NONE));
        assertTrue(fakes.images.building.await(5, TimeUnit.SECONDS));
        AtomicInteger building = new AtomicInteger();
        BuildControl queued = new BuildControl(building::incrementAndGet);
        Fakes.Output output = new Fakes.Output();
        CompletableFuture<Release> waiting = CompletableFuture.supplyAsync(() -> pipeline.build(tarball(Map.of(), Optional.empty()),
                output, queued, ArtifactSink.NONE));
        io.octohost.Await.until("the second build waits for the app's lock", Duration.ofSeconds(5),
                () -> output.lines.contains("waiting for the deploy of hello to finish"));

        queued.stop(BuildStatus.TIMEDOUT, "timed out");

        Exception e = assertThrows(Exception.class, () -> waiting.get(5, TimeUnit.SECONDS));
        assertEquals(BuildStatus.TIMEDOUT, ((Stopped) e.getCause()).status());
        assertEquals(0, building.get(), "it never built");
        fakes.images.hold.countDown();
        assertEquals(1, running.get(5, TimeUnit.SECONDS).number());
        assertTrue(first.sealed());
        assertFalse(first.stop(BuildStatus.CANCELLED, "too late"), "a sealed build cannot be stopped");
    }

    @Test
    void nginxFollowsARunnerThatReplacesTheOldInstancesAsItGoesAndNothingIsLeftToDrain() {
        fakes.runner.replacesAsItGoes = true;
        push('a', new Fakes.Output());
        fakes.journal.clear();

        push('b', new Fakes.Output());

        // old and new serve while the runner replaces them, then the new one alone
        assertEquals(List.of("start hello v2", "route hello [c1, c2]", "healthy [c2]", "route hello [c2]"),
                fakes.events("start", "route", "healthy"));
        assertTrue(fakes.runner.retired.isEmpty(), fakes.runner.retired::toString);
    }

    @Test
    void undoneAfterTheRunnerReplacedTheOldInstancesTheRunnerBringsThemBackAndNginxFollows() {
        fakes.runner.replacesAsItGoes = true;
        push('a', new Fakes.Output());
        fakes.journal.clear();
        storeDown = true;

        assertThrows(StateUnavailable.class, () -> push('b', new Fakes.Output()));

        // nginx goes back to the route before, then follows the runner to the old release's new instance
        assertEquals(List.of("route hello [c1, c2]", "route hello [c2]", "route hello [c1]", "remove c2", "route hello [c3]"),
                fakes.events("route", "remove"));
        assertEquals(Set.of("c3"), fakes.runner.running.keySet());
        assertEquals(1, fakes.runner.running.get("c3").release());
    }
}
