package io.octohost.e2e.api;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Browser;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, acceptance 5: {@code /monitor} in headless Chromium, signed in with a deploy token limited
 * to one app. A build started after the page loaded appears in its lists; opened, its log lines appear
 * as the build writes them (measured: from the line's arrival in octod's log file to the page's DOM,
 * printed, and under 1 s); the final status shows without a reload. The build's output is shown as
 * text, never as markup. Another app's builds never reach the page, nor the event stream of a token
 * limited to the first app; a token limited to the other app gets exactly those.
 */
@Tag("docker")
class MonitorPageTest {
    /** The page must show a line this soon after octod wrote it. */
    private static final long LIVE_MS = 1000;
    private static final Duration BUILD = Duration.ofSeconds(180);
    private static final Duration PAGE = Duration.ofSeconds(30);
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    @RegisterExtension
    static final ApiScenario scenario = new ApiScenario(octohost);
    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void aBuildStartedAfterThePageLoadedShowsWithItsLogLiveAndItsEndWithoutAReloadAndOnlyForAppsTheTokenMayRead() throws Exception {
        BuildApi api = scenario.api();
        String admin = scenario.admin();
        AppRepo watched = octohost.deployed("watched", Content.unique("watched v1"));
        octohost.deployed("hidden", Content.unique("hidden v1"));
        String viewer = api.token("tokens:create", "monitor-viewer", "--role", "deploy", "--app", "watched");
        String otherViewer = api.token("tokens:create", "hidden-viewer", "--role", "deploy", "--app", "hidden");
        Queue<String> hiddenEvents = events(otherViewer);

        // a token octod does not know: said so, and the page asks again
        browser.open("http://127.0.0.1:" + octohost.httpApiPort() + "/monitor");
        signIn(viewer.substring(0, viewer.length() - 4) + "AAAA");
        browser.awaitText("the refusal", PAGE, "#sign-in-error", t -> t.startsWith("octod refused the token"));
        assertTrue(browser.driver().findElement(By.id("token")).isDisplayed() && !browser.driver().findElement(By.id("monitor")).isDisplayed());

        // sign in: the lists show the watched app's push, and nothing of the hidden app; the token stays in this tab only
        signIn(viewer);
        browser.awaitText("the watched app's push build", PAGE, "#apps tr", t -> t.contains("git-push") && t.contains("succeeded"));
        assertEquals("live", browser.awaitText("the event stream", PAGE, "#connection", "live"::equals));
        assertEquals(viewer, browser.script("return sessionStorage.getItem('octohost.token');"));
        assertEquals(0L, browser.script("return localStorage.length;"));
        assertFalse(browser.driver().getCurrentUrl().contains(viewer) || browser.driver().getPageSource().contains(viewer));
        browser.script("window.loadedOnce = true;"
                + "window.seen = {}; new MutationObserver(() => {"
                + "  const log = document.getElementById('log').textContent;"
                + "  for (const m of ['MONITOR-START', 'MONITOR-LIVE']) if (!window.seen[m] && log.includes(m)) window.seen[m] = Date.now();"
                + "}).observe(document.body, {subtree: true, childList: true, characterData: true});");

        // a build of the hidden app, and one of the watched app that waits for the test between two lines
        String hiddenBuild = scenario.build("hidden", scenario.site("hidden-v2", Content.unique("hidden v2")));
        // the markers come from shell variables: the step's own line ("Step 3/6 : RUN ...") in the log must not hold them
        String unique = UUID.randomUUID().toString();
        String live = "MONITOR-LIVE-" + unique;
        watched.dockerfile("FROM octohost/busybox:latest",
                "RUN S=START L=LIVE; echo \"MONITOR-$S <b id='injected'>not markup</b>\" && until [ -e /go ]; do sleep 0.05; done"
                        + " && echo MONITOR-$L-" + unique,
                "COPY www /www", "EXPOSE 80", "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]")
                .write("www/index.html", Content.unique("watched v2")).commit("a build that waits");
        String build = scenario.build("watched", scenario.tarball("watched-v2", watched));
        String row = "#apps tr[data-build='watched/" + build + "']";
        browser.awaitText("the new build in the app's list", PAGE, row, t -> t.contains(build));
        browser.awaitText("the new build under Running", BUILD, "#running tr[data-build='watched/" + build + "']", t -> t.contains(build));

        browser.all(row).get(0).click();
        Path logFile = octohost.dataDir().resolve("builds/watched/" + build + ".log");
        Await.until("the first line on the page", BUILD, () -> browser.script("return window.seen['MONITOR-START'] || null;") != null);
        assertTrue(browser.all("#injected").isEmpty(), "the build's output was put into the page as markup");
        assertTrue(browser.driver().findElement(By.id("log")).getText().contains("MONITOR-START <b id='injected'>not markup</b>"));

        // let the build go on, and time its next line from octod's log file to the page
        String container = Await.until("the build's RUN container", BUILD, () -> octohost.buildContainers("watched"), c -> !c.isEmpty()).get(0);
        long released = System.currentTimeMillis();
        Proc.of("docker", "exec", container, "touch", "/go").timeout(Duration.ofSeconds(30)).run().orFail();
        long written = Await.until("the line in octod's log file", BUILD, Duration.ofMillis(5), () -> contains(logFile, live) ? System.currentTimeMillis() : 0L,
                t -> t > 0);
        long shown = Await.until("the line on the page", PAGE, () -> (Long) browser.script("return window.seen['MONITOR-LIVE'] || null;"),
                t -> t != null);
        long latency = shown - written;
        System.out.println("monitor page: a build's log line appeared in the browser " + latency + " ms after octod wrote it to the log file ("
                + (shown - released) + " ms after the test let the build print it: docker exec, the build's 50 ms poll, docker's output and octod included)");
        assertTrue(latency < LIVE_MS, "the line took " + latency + " ms to reach the page");

        // the end, without a reload
        assertEquals("succeeded", api.awaitEnd("watched", build, admin, BUILD).get("status"));
        browser.awaitText("the final status in the list", PAGE, row + " .status", "succeeded"::equals);
        browser.awaitText("the final status of the opened build", PAGE, "#build-status", "succeeded"::equals);
        browser.awaitText("the build's end in its log", PAGE, "#log", t -> t.contains("-----> build succeeded"));
        assertTrue(browser.all("#running tr").isEmpty(), "nothing runs any more");
        assertEquals(Boolean.TRUE, browser.script("return window.loadedOnce === true;"), "the page was reloaded");
        browser.screenshot(Browser.outputDir("MonitorPageTest").resolve("monitor.png"));

        // the hidden app: never on the page; its own token's stream got its build, and none of the watched app's
        assertEquals("succeeded", api.awaitEnd("hidden", hiddenBuild, admin, BUILD).get("status"));
        Await.until("the hidden build's end in its own token's stream", PAGE, () -> hiddenEvents.stream()
                .anyMatch(e -> e.contains("\"id\":\"" + hiddenBuild + "\"") && e.contains("\"status\":\"succeeded\"")));
        assertTrue(browser.all("[data-app='hidden']").isEmpty(), "the hidden app is on the page");
        assertFalse(browser.driver().getPageSource().contains(hiddenBuild), "a hidden build is on the page");
        assertTrue(hiddenEvents.stream().noneMatch(e -> e.contains("\"app\":\"watched\"")), hiddenEvents::toString);
    }

    private static void signIn(String token) {
        browser.driver().findElement(By.id("token")).sendKeys(token);
        browser.driver().findElement(By.cssSelector("#sign-in button")).click();
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data lines of {@code GET /v1/events} with the token, as they come (read on a thread of their own). */
    private static Queue<String> events(String token) throws Exception {
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + octohost.httpApiPort() + "/v1/events")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            try {
                r.body().filter(l -> l.startsWith("data: ")).forEach(lines::add);
            } catch (UncheckedIOException e) {
                // octod stopped after the test
            }
        }, "events-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
