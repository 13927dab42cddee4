package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario harness itself (raw HTTP client, private nginx, process runner), without octod. */
class HarnessTest {

    @Test
    void parsesContentLengthAndChunkedResponses() throws Exception {
        Http.Response plain = Http.parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhelloEXTRA".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(200, plain.status());
        assertEquals("hello", plain.bodyText());
        assertEquals("b", plain.header("x-a"));

        Http.Response chunked = Http.parse(("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n2;ext=1\r\n\0d\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(404, chunked.status());
        assertArrayEquals("abc\0d".getBytes(StandardCharsets.ISO_8859_1), chunked.body());
    }

    @Test
    @Tag("docker") // a private nginx: the machine the scenarios need
    void aPrivateNginxRoutesByHostAndStops(@TempDir Path tmp) throws Exception {
        Nginx nginx = Nginx.start(tmp);
        try {
            assertTrue(nginx.pid().isPresent());
            int port = Octohost.freePort();
            Files.writeString(nginx.includeFile(), ""
                    + "server { listen 127.0.0.1:" + port + "; server_name a.test; return 200 \"served a\\n\"; }\n"
                    + "server { listen 127.0.0.1:" + port + "; server_name b.test; return 200 \"served b\\n\"; }\n");
            String[] cmd = (nginx.command() + " -s reload").split(" ");
            Proc.of(cmd).run().orFail();
            // nginx -s reload returns before the new workers answer: only this harness test polls
            Http.Response a = Await.until("nginx serves a.test", Duration.ofSeconds(10), () -> Http.get(port, "a.test", "/"),
                    r -> r.bodyText().equals("served a\n"));
            assertEquals(200, a.status());
            assertEquals("served b\n", Http.get(port, "b.test", "/").bodyText());
        } finally {
            nginx.close();
        }
        long pid = nginx.pid().orElse(-1L);
        assertFalse(pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "nginx still runs");
    }

    @Test
    void aConnectionRefusedIsAnError() {
        int port = Octohost.freePort();
        assertThrows(UncheckedIOException.class, () -> Http.get(port, "x.test", "/"));
    }

    @Test
    void procReportsExitCodesOutputAndTimeouts() {
        Proc.Result r = Proc.of("sh", "-c", "echo out; echo err >&2; exit 3").run();
        assertEquals(3, r.exitCode());
        assertTrue(r.output().contains("out") && r.output().contains("err"), r.describe());

        long start = System.nanoTime();
        Proc.Result slow = Proc.of("sh", "-c", "sleep 30 & sleep 30").timeout(Duration.ofMillis(300)).run();
        assertTrue(slow.timedOut());
        // the two sleeps would take 30 s: the timeout ended them
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(25).toNanos());

        Proc.Result in = Proc.of("cat").stdin("piped\n".getBytes(StandardCharsets.UTF_8)).run();
        assertEquals("piped\n", in.output());
    }
}
