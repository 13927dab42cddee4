package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the Docker engine stops in the middle of a build. octod talks to a dockerd of the test's
 * own ({@link PrivateDockerd}): the machine's engine, shared with other work, is never stopped.
 */
@Tag("docker")
class DockerdStoppedMidBuildTest {
    private static final PrivateDockerd dockerd = PrivateDockerd.start(Octohost.BASE_IMAGE);

    @RegisterExtension
    static final Octohost octohost = Octohost.builder().env("DOCKER_HOST", dockerd.host()).build();

    @BeforeAll
    static void start() {
        Reliability.start(DockerdStoppedMidBuildTest.class);
    }

    @AfterAll
    static void stop() {
        Reliability.writeReport();
        octohost.close();
        dockerd.close();
    }

    @Test
    void theEngineStopsDuringABuild() throws Exception {
        String v1 = Content.unique("built v1");
        AppRepo app = octohost.deployed("built", v1);
        Set<String> before = Survival.state(octohost);

        app.staticSite(Content.unique("built v2")).write("Dockerfile", "FROM octohost/busybox:latest\nRUN sleep 20\n"
                + AppRepo.STATIC_SITE_DOCKERFILE.replace("FROM octohost/busybox:latest\n", "")).commit("a slow build");
        CompletableFuture<PushResult> push = CompletableFuture.supplyAsync(() -> app.push("master"));
        Await.until("the build's RUN sleep 20 runs in the private engine", Duration.ofSeconds(60),
                () -> dockerd.docker("ps", "--no-trunc", "--format", "{{.Command}}").output(), out -> out.contains("sleep 20"));
        dockerd.stop();
        PushResult failed = push.get(120, TimeUnit.SECONDS);
        assertFalse(failed.ok(), failed::describe);
        assertTrue(failed.output().contains("error: docker build failed") || failed.output().contains("error: the Docker engine"),
                failed::describe);
        assertFalse(failed.output().contains("internal error"), failed::describe);

        dockerd.start();
        // the engine brings the running version back (restart policy) on new host ports; octod follows them
        Await.until(app.remotePath() + " serves v1 again", Duration.ofSeconds(90), () -> octohost.get(app.remotePath()).bodyText(),
                v1::equals);
        Survival.check(DockerdStoppedMidBuildTest.class, octohost, app, v1, before, "dockerd stopped during a build",
                "a private dockerd (its own data root, exec root, socket and bridge) was stopped (SIGTERM) while a push's RUN step ran;"
                        + " the push failed saying '" + failed.reason() + "'; the engine was started again");
    }
}
