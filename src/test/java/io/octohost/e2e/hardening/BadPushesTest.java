package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Issue 12, acceptance 2: bad pushes (bad trees, Dockerfiles, refs, sizes, names, domains, containers
 * that never get ready), each refused with its message while the state, the images, the routes and
 * the running apps stay as they were. octod runs with --max-push-size 1M and --ready-timeout 5.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadPushesTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder().readyTimeout(5).extraArgs("--max-push-size", "1M").build();
    private static Refusals refusals;
    private static AppRepo shop;
    private static String good;

    @BeforeAll
    static void appsRunning() {
        Reliability.start(BadPushesTest.class);
        shop = octohost.deployed("shop", Content.unique("shop"));
        good = shop.head();
        octohost.deployed("blog", Content.unique("blog"));
        AppRepo web = octohost.app("site");
        web.staticSite(Content.unique("site web")).commit("web");
        web.branch("web");
        if (!web.push("web").ok()) throw new AssertionError("push of site's branch web failed");
        Cli.octo(octohost, "config:set", "shop", "HEALTHCHECK_PATH=/health-of-shop", "--no-restart").orFail();
        refusals = new Refusals(octohost, BadPushesTest.class, "shop", "blog", "site-web");
    }

    @AfterAll
    static void report() {
        Reliability.writeReport();
    }

    /** Pushes what {@code change} made of shop's good commit to the refspec, and expects the refusal. */
    private static void refusedPush(String input, String refspec, String message, Runnable change) {
        shop.git("checkout", "-q", "-B", "master", good).orFail();
        change.run();
        refusals.assertRefused("pushes", input, "git push " + refspec, message, () -> Refusals.Attempt.of(shop.push(refspec)));
        shop.git("checkout", "-q", "-B", "master", good).orFail();
    }

    private static Runnable commit(String path, String content) {
        return () -> shop.write(path, content).commit("bad: " + path);
    }

    @Test
    @Order(1)
    void badTreesAndDockerfiles() {
        refusedPush("no Dockerfile at the root", "master", "no Dockerfile at the root of ", () -> {
            shop.delete("Dockerfile");
            shop.commit("no Dockerfile");
        });
        refusedPush("a Dockerfile docker cannot parse", "master", "docker build failed: dockerfile parse error",
                commit("Dockerfile", "FORM octohost/busybox:latest\n"));
        refusedPush("FROM an image that is not there", "master", "docker build failed: ",
                commit("Dockerfile", "FROM octohost/no-such-base:latest\n"));
        refusedPush("a RUN that fails", "master", "returned a non-zero code: 3",
                commit("Dockerfile", "FROM octohost/busybox:latest\nRUN exit 3\n"));
        refusedPush("a Dockerfile with no FROM", "master", "docker build failed: ",
                commit("Dockerfile", "RUN true\n"));
        for (String name : List.of("..", ".git", ".GIT", ".")) {
            refusedPush("a tree entry named '" + name + "'", "master", "an object of the push fails git's checks", () -> Trees.commitWithEntry(shop, name));
        }
        refusedPush("a CNAME file naming localhost", "master", "domain localhost is a loopback name", commit("CNAME", "localhost\n"));
        refusedPush("a CNAME file naming blog's default name", "master", "domain blog.test.octohost is the default name of app blog",
                commit("CNAME", "# mine now\nblog.test.octohost\n"));
        refusedPush("a CNAME file naming no host", "master", "CNAME: invalid domain 'not a host'", commit("CNAME", "not a host\n"));
    }

    @Test
    @Order(2)
    void badRefsAndSizes() {
        refusedPush("a branch named HEAD", "master:HEAD", "branch 'HEAD' is what git calls one of its own refs", () -> { });
        refusedPush("a branch named refs/heads/x", "master:refs/heads/refs/heads/x", "branch 'refs/heads/x' is ambiguous to git", () -> { });
        refusedPush("a branch named FETCH_HEAD", "master:FETCH_HEAD", "branch 'FETCH_HEAD' is what git calls one of its own refs", () -> { });
        refusedPush("a ref outside branches and tags", "master:refs/notes/x", "only branches and tags can be pushed, not refs/notes/x", () -> { });
        refusedPush("a pack of 2 MiB with --max-push-size 1M", "master", "the push is larger than --max-push-size (1048576 bytes)", () -> {
            byte[] noise = new byte[2 << 20];
            new Random(12).nextBytes(noise);
            shop.write("www/noise.bin", noise).commit("2 MiB of noise");
        });
    }

    @Test
    @Order(3)
    void containersThatNeverGetReady() {
        refusedPush("a container that exits at once", "master", "exited with code 7; its last output: giving up",
                commit("Dockerfile", "FROM octohost/busybox:latest\nEXPOSE 80\nCMD [\"sh\", \"-c\", \"echo giving up; exit 7\"]\n"));
        refusedPush("a container that never listens", "master", "did not open port 80 within 5 s",
                commit("Dockerfile", "FROM octohost/busybox:latest\nEXPOSE 80\nCMD [\"sleep\", \"600\"]\n"));
        refusedPush("a container that fails HEALTHCHECK_PATH", "master", "GET /health-of-shop -> HTTP 404",
                commit("www/index.html", "no health page here\n"));
    }

    @ParameterizedTest
    @Order(4)
    @ValueSource(strings = {"Bad_Name", "../x", "a/b", "x.git.git", "a234567890123456789012345678901234567890123456789012345678901234"})
    void badRepoNames(String path) {
        AppRepo repo = shop.pushingTo(path);
        refusals.assertRefused("pushes", "a push to repo '" + path + "'", "git push " + path + " master", "invalid app name",
                () -> Refusals.Attempt.of(repo.push("master")));
    }

    @Test
    @Order(5)
    void aRepoCannotTakeTheNameOfAnotherReposBranchApp() {
        AppRepo usurper = shop.pushingTo("site-web");
        refusals.assertRefused("pushes", "a push of repo site-web, the app of site's branch web", "git push site-web master",
                "app name 'site-web' already belongs to repo site branch web", () -> Refusals.Attempt.of(usurper.push("master")));
    }

    @Test
    @Order(6)
    void aPushWhoseDefaultNameAnotherAppHeldBeforeTheRuleIsRefusedNamingIt() throws IOException {
        // a state from before domains were claimed once: blog holds the default name of an app not yet pushed
        octohost.kill9();
        Path db = octohost.dataDir().resolve("state/state.db");
        Files.writeString(db, Files.readString(db) + b64("octohost/blog/DOMAINS") + " " + b64("legacy.test.octohost") + "\n");
        octohost.restartOctod();
        refusals.changed();
        AppRepo legacy = shop.pushingTo("legacy");
        refusals.assertRefused("pushes", "a push of app legacy, whose default name blog's DOMAINS hold", "git push legacy master",
                "the default name legacy.test.octohost of app legacy is claimed by app blog", () -> Refusals.Attempt.of(legacy.push("master")));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
