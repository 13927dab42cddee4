package io.octohost.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SWARM_* config keys: where a Swarm places an app's tasks and with how much. */
class SwarmKeysTest {
    @Test
    void theKeysMakeAPlacement() {
        Placement p = ConfigKeys.placement(Map.of("SWARM_CONSTRAINTS", " node.labels.tier == web , node.role!=manager,",
                "SWARM_MAX_PER_NODE", "2", "SWARM_CPUS", "0.5", "SWARM_RESERVE_CPUS", "2", "SWARM_RESERVE_MEMORY", "128m"));

        assertEquals(List.of("node.labels.tier == web", "node.role!=manager"), p.constraints());
        assertEquals(OptionalInt.of(2), p.maxPerNode());
        assertEquals(OptionalLong.of(500_000_000L), p.cpuLimitNanos());
        assertEquals(OptionalLong.of(2_000_000_000L), p.cpuReservationNanos());
        assertEquals(OptionalLong.of(128L << 20), p.memoryReservationBytes());
    }

    @Test
    void noKeysPlaceAnywhere() {
        assertEquals(Placement.ANYWHERE, ConfigKeys.placement(Map.of("SWARM_CONSTRAINTS", " ")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SWARM_CONSTRAINTS|node.labels.tier=web|ATTRIBUTE==VALUE",
        "SWARM_CONSTRAINTS|==web|ATTRIBUTE==VALUE",
        "SWARM_MAX_PER_NODE|0|whole number from 1",
        "SWARM_CPUS|half|number of CPUs",
        "SWARM_CPUS|0.0000001|number of CPUs",
        "SWARM_RESERVE_CPUS|-1|number of CPUs",
        "SWARM_RESERVE_MEMORY|1k|at least 6m"})
    void aBadValueIsRefusedWithTheKeyInOneLine(String key, String value, String reason) {
        UserError e = assertThrows(UserError.class, () -> ConfigKeys.validate(key, value, 32));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(reason), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
