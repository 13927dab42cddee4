package io.octohost.route;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Running NGINX_CMD: its verdict in one line, and a timeout that holds (sh stands in for nginx). */
class NginxCommandTest {
    private static NginxCommand sh(String script, Duration timeout) {
        return new NginxCommand(List.of("sh", "-c", script, "nginx"), timeout);
    }

    @Test
    void successSaysNothing() {
        assertEquals(Optional.empty(), sh("echo 'syntax is ok'", Duration.ofSeconds(5)).run("-t"));
    }

    @Test
    void aRefusalIsItsMostTellingLine() {
        Optional<String> refusal = sh("echo 'nginx: [warn] meh'; echo 'nginx: [emerg] unknown directive \"x\" in /c:3';"
                + " echo 'nginx: configuration file /c test failed'; exit 1", Duration.ofSeconds(5)).run("-t");
        assertEquals(Optional.of("[emerg] unknown directive \"x\" in /c:3"), refusal);
    }

    @Test
    void aHangingNginxIsKilledWhenTheTimeIsUpEvenWhileItWritesAndItsChildrenHoldTheOutput() {
        long start = System.nanoTime();
        Optional<String> result = sh("(sleep 60) & while true; do echo busy; sleep 0.01; done", Duration.ofSeconds(1)).run("-t");
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took < 5000, "took " + took + " ms");
        assertTrue(result.orElseThrow().endsWith("-t did not finish within 1 s: killed"), result::toString);
    }

    @Test
    void aMissingCommandIsSaidInOneLine() {
        Optional<String> result = new NginxCommand(List.of("/nonexistent/nginx"), Duration.ofSeconds(1)).run("-t");
        assertTrue(result.orElseThrow().startsWith("cannot run /nonexistent/nginx -t: "), result::toString);
        assertEquals(1, result.get().lines().count());
    }
}
