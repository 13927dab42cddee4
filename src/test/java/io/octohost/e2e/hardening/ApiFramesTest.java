package io.octohost.e2e.hardening;

import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, acceptance 2 and finding 7: what a client that is not octo sends to the API socket.
 * Every length is bounded before octod allocates anything: each frame is answered with a one-line
 * error, octod's memory does not grow, and nothing else changes.
 */
@Tag("docker")
class ApiFramesTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    private static Refusals refusals;

    @BeforeAll
    static void anApp() {
        Reliability.start(ApiFramesTest.class);
        octohost.deployed("shop", Content.unique("shop"));
        refusals = new Refusals(octohost, ApiFramesTest.class, "shop");
    }

    @AfterAll
    static void report() {
        Reliability.limit(ApiFramesTest.class, "a frame from a client of the API socket", "1 MiB (Frames.MAX_CLIENT_FRAME)",
                "a header announcing more is answered 'bad frame length' before anything is allocated; octod's RSS grew by less than 64 MiB");
        Reliability.writeReport();
    }

    private static ByteBuffer frame(char type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) type).putInt(payload.length).put(payload).flip();
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Sends the bytes, half-closes, and returns what octod answered (its STDERR frames' text), checking its memory. */
    private static Refusals.Attempt send(ByteBuffer bytes) {
        try {
            long before = rss();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            int exit = -1;
            try (SocketChannel api = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                api.connect(UnixDomainSocketAddress.of(octohost.apiSocket()));
                try {
                    while (bytes.hasRemaining()) {
                        api.write(bytes);
                    }
                    api.shutdownOutput();
                } catch (IOException e) {
                    // octod hung up before taking it all (it refused the header): its answer is waiting
                }
                ByteBuffer in = ByteBuffer.allocate(1 << 16);
                while (api.read(in) >= 0) {
                    // read until octod hangs up
                }
                in.flip();
                while (in.remaining() >= 5) {
                    byte type = in.get();
                    byte[] payload = new byte[in.getInt()];
                    in.get(payload);
                    if (type == 'R' || type == 'O') {
                        answer.writeBytes(payload);
                    } else if (type == 'X') {
                        exit = ByteBuffer.wrap(payload).getInt();
                    }
                }
            }
            long grown = rss() - before;
            assertTrue(grown < 64L << 20, "octod grew by " + (grown >> 20) + " MiB");
            Cli.octo(octohost, "apps:list").orFail();
            return new Refusals.Attempt(exit, answer.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long rss() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(octohost.octodProcess().pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
    }

    private record Case(String input, String message, ByteBuffer bytes) {
    }

    @TestFactory
    Stream<DynamicTest> badFrames() {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
        List<Case> cases = List.of(
                new Case("the 9-byte ARGV frame of the finding: 268435456 arguments in 4 bytes",
                        "bad ARGV frame: 268435456 arguments in 4 bytes", frame('A', ints(0x10000000))),
                new Case("an ARGV frame of -1 arguments", "bad ARGV frame: -1 arguments", frame('A', ints(-1))),
                new Case("an ARGV frame whose argument claims 1 GiB", "argument 1 of 1073741824 bytes", frame('A', ints(1, 1 << 30))),
                new Case("an ARGV frame with bytes after its last argument", "bytes after the last argument",
                        frame('A', concat(ints(1, 1), new byte[] {'x', 'y'}))),
                new Case("an ARGV frame whose argument is not UTF-8", "argument 1 is not valid UTF-8",
                        frame('A', concat(ints(1, latin1.length), latin1))),
                new Case("a header announcing a 2 GiB frame", "bad frame length 2147483647 (at most 1048576)",
                        ByteBuffer.allocate(5).put((byte) 'A').putInt(Integer.MAX_VALUE).flip()),
                new Case("a header announcing a negative length", "bad frame length -5", ByteBuffer.allocate(5).put((byte) 'A').putInt(-5).flip()),
                new Case("an ARGV frame of 1 MiB and one byte", "bad frame length 1048577 (at most 1048576)",
                        frame('A', new byte[(1 << 20) + 1])),
                new Case("a STDIN frame first", "the first frame must be ARGV ('A'), not 73", frame('I', new byte[] {1, 2, 3})),
                new Case("a frame cut off after 10 of 100 bytes", "the connection closed in the middle of a frame",
                        ByteBuffer.allocate(15).put((byte) 'A').putInt(100).put(new byte[10]).flip()),
                new Case("three bytes of a header", "the connection closed in the middle of a frame", ByteBuffer.wrap(new byte[] {'A', 0, 0})));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.input(), () -> refusals.assertRefused("API socket frames",
                c.input(), "unix socket", c.message(), () -> send(c.bytes()))));
    }
}
