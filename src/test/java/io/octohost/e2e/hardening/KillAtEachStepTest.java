package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: octod killed with SIGKILL exactly as each step of a push starts (a debugger breakpoint on
 * the step, then kill -9; nothing in octod knows). Started again, it serves the last good release
 * (the new one only once RecordRelease ran), keeps every record, and takes the next push.
 */
@Tag("docker")
class KillAtEachStepTest {
    /** A push's steps, in order (deploy/Pipeline.push). */
    static final List<String> PUSH_STEPS = List.of("AcquireAppLock", "CheckBranch", "ClaimApp", "CheckDisk", "ReadConfig",
            "BuildImage", "PublishImage", "StartContainers", "AwaitHealthy", "SwitchRoute", "RecordRelease", "MoveBranch", "Drain",
            "RetainImages");
    private static final int DEBUG_PORT = Octohost.freePort();

    @RegisterExtension
    static final Octohost octohost = Octohost.builder().jvmArgs(StepBreakpoint.jvmArgs(DEBUG_PORT)).build();
    private static AppRepo app;
    private static String lastGood;

    @BeforeAll
    static void aRunningApp() {
        Reliability.start(KillAtEachStepTest.class);
        lastGood = Content.unique("steady v1");
        app = octohost.deployed("steady", lastGood);
    }

    @AfterAll
    static void report() {
        Reliability.writeReport();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AcquireAppLock", "CheckBranch", "ClaimApp", "CheckDisk", "ReadConfig", "BuildImage", "PublishImage",
        "StartContainers", "AwaitHealthy", "SwitchRoute", "RecordRelease", "MoveBranch", "Drain", "RetainImages"})
    void octodKilledAsAStepStarts(String step) throws Exception {
        Set<String> before = Survival.state(octohost);
        String next = Content.unique("steady at " + step);
        app.staticSite(next).commit("push killed at " + step);
        try (StepBreakpoint breakpoint = StepBreakpoint.at(DEBUG_PORT, step)) {
            CompletableFuture<PushResult> push = CompletableFuture.supplyAsync(() -> app.push("master"));
            assertTrue(breakpoint.awaitHit(Duration.ofSeconds(120)), "the push never reached " + step);
            octohost.kill9();
            PushResult killed = push.get(60, TimeUnit.SECONDS);
            assertFalse(killed.ok(), () -> "a push whose octod was killed cannot have succeeded:\n" + killed.describe());
        }
        octohost.restartOctod();
        boolean recorded = PUSH_STEPS.indexOf(step) > PUSH_STEPS.indexOf("RecordRelease");
        String served = recorded ? next : lastGood;
        lastGood = Survival.check(KillAtEachStepTest.class, octohost, app, served, before, "kill -9 as " + step + " starts",
                "octod was killed with SIGKILL at the breakpoint on " + step + ".run during a push, the push failed, octod was started again"
                        + (recorded ? " (the release was recorded: the new version is the last good one)" : ""));
        octohost.awaitContainers("steady", 1);
    }
}
