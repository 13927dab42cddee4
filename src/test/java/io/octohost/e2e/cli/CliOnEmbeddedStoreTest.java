package io.octohost.e2e.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.Octohost;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 4's CLI scenarios against the default state store: embedded, under the data dir. */
class CliOnEmbeddedStoreTest extends CliScenarios {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder()
            .extraArgs("--state", "embedded") // also under -Doctohost.state=consul
            .extraArgs("--drain-grace", "1", "--stop-timeout", "2")
            .build();

    @Override
    Octohost octohost() {
        return octohost;
    }

    /** Guards against a vacuous run: the scenarios' state really is in the embedded store's file. */
    @Test
    void theStateIsInTheDataDir() throws Exception {
        deploy("stored");
        Cli.octo(octohost, "config:set", "stored", "STORED=here", "--no-restart").orFail();
        Path db = octohost.dataDir().resolve("state").resolve("state.db");
        assertTrue(Files.isRegularFile(db), () -> db + " should exist; data dir: " + octohost.dataDirListing());
        // its format: a header line, then "base64(key) base64(value)" per line
        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(db, StandardCharsets.US_ASCII)) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && !line.startsWith("octohost-state")) {
                keys.add(new String(Base64.getDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            }
        }
        assertTrue(keys.containsAll(List.of("octohost/stored/STORED", "octod/keys/e2e-admin")),
                () -> db + " lacks keys the scenario set: " + keys);
    }
}
