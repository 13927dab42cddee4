package io.octohost.e2e.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.consul.ConsulAgent;

import java.nio.file.Files;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, acceptance 1: the same CLI scenarios, unchanged, with octod's state in a real Consul
 * agent ({@code --state consul --consul-url ...}; scripts/consul builds the binary).
 */
@Tag("consul")
class CliOnConsulTest extends CliScenarios {
    @RegisterExtension
    @Order(1)
    static final ConsulAgent consul = ConsulAgent.create(false);

    @RegisterExtension
    @Order(2)
    static final Octohost octohost = Octohost.builder()
            .extraArgs(consul.octodArgs())
            .extraArgs("--drain-grace", "1", "--stop-timeout", "2")
            .build();

    @Override
    Octohost octohost() {
        return octohost;
    }

    /** Guards against a vacuous run: the scenarios' state really is in Consul, and not in the data dir. */
    @Test
    void theStateIsInConsul() {
        deploy("stored");
        Cli.octo(octohost, "config:set", "stored", "STORED=here", "--no-restart").orFail();
        assertEquals("here", consul.kvGet("octohost/stored/STORED").orElse(null));
        Proc.Result keys = consul.cli("kv", "get", "-recurse", "octod/keys/").orFail();
        assertTrue(keys.output().contains("e2e-admin"), keys::describe);
        assertFalse(Files.exists(octohost.dataDir().resolve("state").resolve("state.db")),
                "with --state consul there is no embedded state file");
    }
}
