package io.octohost.api;

import io.octohost.cli.Frames;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ARGV frame of the API socket (issue 12, finding 7: a 9-byte frame made octod allocate about
 * 1 GB): every count and length is checked against the frame before anything is allocated.
 */
class ArgvFrameTest {
    /** An ARGV payload as octo writes it: a count, then each argument's length and UTF-8 bytes. */
    private static byte[] payload(List<String> argv) {
        ByteBuffer out = ByteBuffer.allocate(4 + argv.stream().mapToInt(a -> 4 + a.getBytes(StandardCharsets.UTF_8).length).sum());
        out.putInt(argv.size());
        argv.forEach(a -> out.putInt(a.getBytes(StandardCharsets.UTF_8).length).put(a.getBytes(StandardCharsets.UTF_8)));
        return out.array();
    }

    @Property
    void whatOctoWritesOctodReadsBack(@ForAll @Size(max = 20) List<@From("text") String> argv) throws IOException {
        assertEquals(argv, Frames.decodeArgv(payload(argv)));
    }

    @Property(tries = 2000)
    void anyBytesAreReadOrRefusedWithoutAllocatingMoreThanTheFrame(@ForAll @Size(max = 64) byte[] payload) {
        // a count or length beyond the frame would allocate it (an OutOfMemoryError, or a long pause) before failing
        try {
            List<String> argv = Frames.decodeArgv(payload);
            assertTrue(argv.size() <= payload.length / 4);
        } catch (IOException e) {
            assertTrue(e.getMessage().startsWith("bad ARGV frame") || e.getMessage().contains("not valid UTF-8"), e.getMessage());
        }
    }

    @Example
    void theNineByteFrameOfTheFindingIsRefused() {
        // 'A', length 4, then a count of 2^31-1 arguments in a payload of 4 bytes
        IOException e = assertThrows(IOException.class, () -> Frames.decodeArgv(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array()));
        assertEquals("bad ARGV frame: 2147483647 arguments in 4 bytes", e.getMessage());
        IOException negative = assertThrows(IOException.class, () -> Frames.decodeArgv(ByteBuffer.allocate(4).putInt(-1).array()));
        assertTrue(negative.getMessage().startsWith("bad ARGV frame"));
        IOException longArgument = assertThrows(IOException.class,
                () -> Frames.decodeArgv(ByteBuffer.allocate(8).putInt(1).putInt(1 << 30).array()));
        assertTrue(longArgument.getMessage().contains("argument 1 of 1073741824 bytes"), longArgument.getMessage());
    }

    @Example
    void anArgumentThatIsNotUtf8IsRefusedNotReplaced() {
        byte[] frame = ByteBuffer.allocate(4 + 4 + 3).putInt(1).putInt(3).put(new byte[] {'K', '=', (byte) 0xff}).array();
        IOException e = assertThrows(IOException.class, () -> Frames.decodeArgv(frame));
        assertEquals("argument 1 is not valid UTF-8: octohost keeps text byte-exact and takes UTF-8 only", e.getMessage());
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(30).filter(s -> s.codePoints().noneMatch(c -> c >= 0xd800 && c <= 0xdfff));
    }
}
