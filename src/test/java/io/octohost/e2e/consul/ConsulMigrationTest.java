package io.octohost.e2e.consul;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, acceptance 5: {@code octo state:export} from the embedded store and {@code octo state:import}
 * into Consul (and back) move every key, config value and domain byte-exact.
 */
@Tag("docker")
@Tag("consul")
class ConsulMigrationTest {
    @RegisterExtension
    @Order(1)
    static final Octohost embedded = Octohost.builder().extraArgs("--state", "embedded").build(); // also under -Doctohost.state=consul

    @RegisterExtension
    @Order(2)
    static final ConsulAgent consul = ConsulAgent.create(false);

    @RegisterExtension
    @Order(3)
    static final Octohost inConsul = Octohost.builder().extraArgs(consul.octodArgs()).build();

    private static final String GREETING = "hello world = \"x\" 'y' $HOME \\n";
    private static final String MULTI = "line 1\nline 2\r\n\ttabbed ";
    private static final String UNICODE = "grüße ✓ 😀";

    @Test
    void exportFromEmbeddedImportIntoConsulRoundTripsByteExact() throws IOException {
        // given an app with tricky config, domains and a second key, in the embedded store
        String app = "cmig";
        embedded.deployed(app, Content.unique("cmig"));
        embedded.octo(null, "config:set", app, "GREETING=" + GREETING, "MULTI=" + MULTI, "UNICODE=" + UNICODE, "EMPTY=",
                "--no-restart").orFail();
        embedded.octo(null, "domains:add", app, "a.cmig.test", "b.cmig.test").orFail();
        embedded.addKey("deployer", "deploy");
        // and a value of every control and ASCII character (only an import can store one: non-UTF-8 is refused)
        StringBuilder every = new StringBuilder();
        for (char c = 1; c < 128; c++) every.append(c);
        byte[] allBytes = every.append("é😀").toString().getBytes(StandardCharsets.UTF_8);
        Path extra = file("extra.jsonl", "{\"octohost-state\":1}\n{\"key\":\"octohost/cmig/BINARY\",\"value\":\""
                + Base64.getEncoder().encodeToString(allBytes) + "\"}\n");
        embedded.octo(extra, "state:import").orFail();

        // when the embedded state is exported and imported into Consul
        Proc.Result export = embedded.octo(null, "state:export").orFail();
        String fromEmbedded = export.output();
        assertTrue(fromEmbedded.startsWith("{\"octohost-state\":1}\n"), fromEmbedded);
        Path dump = file("embedded.jsonl", fromEmbedded);
        Proc.Result imported = inConsul.octo(dump, "state:import", "--replace").orFail();
        assertTrue(imported.output().startsWith("imported "), imported::describe);

        // then Consul's export is the same, byte for byte
        String fromConsul = inConsul.octo(null, "state:export").orFail().output();
        assertEquals(fromEmbedded, fromConsul);

        // and Consul holds the values themselves, as octohost's layout says
        assertArrayEquals(GREETING.getBytes(StandardCharsets.UTF_8), consul.kvRaw("octohost/cmig/GREETING").orElseThrow());
        assertArrayEquals(MULTI.getBytes(StandardCharsets.UTF_8), consul.kvRaw("octohost/cmig/MULTI").orElseThrow());
        assertArrayEquals(UNICODE.getBytes(StandardCharsets.UTF_8), consul.kvRaw("octohost/cmig/UNICODE").orElseThrow());
        assertArrayEquals(new byte[0], consul.kvRaw("octohost/cmig/EMPTY").orElseThrow());
        assertArrayEquals(allBytes, consul.kvRaw("octohost/cmig/BINARY").orElseThrow());
        assertEquals("a.cmig.test b.cmig.test", consul.kvGet("octohost/cmig/DOMAINS").orElseThrow());
        assertTrue(consul.kvGet("octod/keys/deployer").orElseThrow().startsWith("deploy\n"));
        String keys = inConsul.octo(null, "keys:list").orFail().output();
        assertTrue(keys.lines().anyMatch(l -> l.matches("deployer +deploy +all +SHA256:.*")), keys);
        assertEquals(MULTI, inConsul.octo(null, "config:get", app, "MULTI").orFail().output().replaceFirst("\n$", ""));

        // and back: Consul's export imported into the embedded store (after a change there) restores it exactly
        embedded.octo(null, "config:unset", app, "UNICODE", "--no-restart").orFail();
        embedded.octo(null, "config:set", app, "NEW=1", "--no-restart").orFail();
        embedded.octo(file("consul.jsonl", fromConsul), "state:import", "--replace").orFail();
        assertEquals(fromEmbedded, embedded.octo(null, "state:export").orFail().output());
    }

    @Test
    void aLargeImportIsAppliedInChunksOfSixtyFour() {
        StringBuilder big = new StringBuilder("{\"octohost-state\":1}\n");
        for (int i = 0; i < 150; i++) {
            big.append("{\"key\":\"octohost/cbig/K").append(String.format("%03d", i)).append("\",\"value\":\"")
                    .append(Base64.getEncoder().encodeToString(("value " + i).getBytes(StandardCharsets.UTF_8))).append("\"}\n");
        }
        Proc.Result r = inConsul.octo(file("big.jsonl", big.toString()), "state:import").orFail();
        assertTrue(r.output().contains("imported 150 keys: 150 written, 0 unchanged (in 3 transactions)"), r::describe);
        assertEquals("value 149", consul.kvGet("octohost/cbig/K149").orElseThrow());
        String export = inConsul.octo(null, "state:export").orFail().output();
        assertEquals(150, export.lines().filter(l -> l.contains("octohost/cbig/")).count());

        // a second run changes nothing
        Proc.Result again = inConsul.octo(file("big.jsonl", big.toString()), "state:import").orFail();
        assertTrue(again.output().contains("0 written, 150 unchanged"), again::describe);
    }

    @Test
    void aBadLineChangesNothing() {
        String before = inConsul.octo(null, "state:export").orFail().output();
        Path bad = file("bad.jsonl", "{\"octohost-state\":1}\n{\"key\":\"octohost/cbad/A\",\"value\":\"YQ==\"}\n"
                + "{\"key\":\"elsewhere/B\",\"value\":\"Yg==\"}\n");
        Proc.Result r = inConsul.octo(bad, "state:import");
        assertEquals(1, r.exitCode(), r::describe);
        assertEquals("error: line 3: key 'elsewhere/B' is outside octohost/ and octod/", r.trimmed());
        assertEquals(before, inConsul.octo(null, "state:export").orFail().output());
        assertEquals(2, inConsul.octo(null, "state:import", "--no-such-flag").exitCode());
    }

    private static Path file(String name, String content) {
        try {
            Path dir = Files.createDirectories(inConsul.dataDir().getParent().resolve("dumps"));
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
