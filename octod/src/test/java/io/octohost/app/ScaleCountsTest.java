package io.octohost.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ps:scale's arguments (N, or TYPE=N pairs) and the PS_SCALE key that keeps the counts of types other than web. */
class ScaleCountsTest {
    private static final Set<String> TYPES = new TreeSet<>(Set.of("web", "worker", "clock"));

    @Test
    void aBareNumberScalesWebAndPairsScaleTheirTypes() {
        assertEquals(Map.of("web", 3), ScaleCounts.arguments(List.of("3"), TYPES, 32));
        assertEquals(Map.of("web", 2, "worker", 1), ScaleCounts.arguments(List.of("web=2", "worker=1"), TYPES, 32));
        assertEquals(Map.of("clock", 0), ScaleCounts.arguments(List.of("clock=0"), TYPES, 32));
    }

    @Test
    void badArgumentsFailInOneLine() {
        assertEquals("unknown process type 'mailer': the app's types are clock, web, worker",
                assertThrows(UserError.class, () -> ScaleCounts.arguments(List.of("web=1", "mailer=2"), TYPES, 32)).getMessage());
        assertEquals("invalid container count 33: give a whole number from 0 to 32 (--max-containers)",
                assertThrows(UserError.class, () -> ScaleCounts.arguments(List.of("worker=33"), TYPES, 32)).getMessage());
        assertEquals("invalid container count -1: give a whole number from 0 to 32 (--max-containers)",
                assertThrows(UserError.class, () -> ScaleCounts.arguments(List.of("-1"), TYPES, 32)).getMessage());
        assertEquals("invalid container count 'two': give a whole number from 0 to 32",
                assertThrows(UserError.class, () -> ScaleCounts.arguments(List.of("worker=two"), TYPES, 32)).getMessage());
        assertEquals("invalid scale '3': give N, or TYPE=N pairs such as web=2 worker=1",
                assertThrows(UserError.class, () -> ScaleCounts.arguments(List.of("worker=1", "3"), TYPES, 32)).getMessage());
        assertEquals("process type worker is scaled twice",
                assertThrows(UserError.class, () -> ScaleCounts.arguments(List.of("worker=1", "worker=2"), TYPES, 32)).getMessage());
    }

    @Test
    void psScaleKeepsTheOtherTypesCounts() {
        assertEquals(Map.of("worker", 2, "clock", 0), ScaleCounts.parse(" worker=2  clock=0 ", 32));
        assertEquals("clock=0 worker=2", ScaleCounts.format(Map.of("worker", 2, "clock", 0, "web", 5)));
        assertEquals(Map.of(), ScaleCounts.parse("", 32));
        for (String bad : new String[] {"web=2", "worker", "bad type=1", "worker=-1"}) {
            assertThrows(UserError.class, () -> ConfigKeys.validate(ConfigKeys.PS_SCALE, bad, 32), bad);
        }
    }

    @Test
    void aTypeNeverScaledRunsOne() {
        TreeMap<String, String> own = new TreeMap<>(Map.of("CONTAINERS", "2", "PS_SCALE", "clock=0"));
        RunConfig config = ConfigKeys.runConfig(AppName.of("hello"), own, own, new Domains("example.test"), 32);
        assertEquals(2, config.count("web"));
        assertEquals(0, config.count("clock"));
        assertEquals(1, config.count("worker"));
    }
}
