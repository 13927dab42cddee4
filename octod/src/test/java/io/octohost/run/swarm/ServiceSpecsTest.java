package io.octohost.run.swarm;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import io.octohost.app.AppName;
import io.octohost.app.Capabilities;
import io.octohost.app.Commit;
import io.octohost.app.HealthCheck;
import io.octohost.app.Placement;
import io.octohost.app.RunSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Swarm service of a release, from its run spec alone. */
class ServiceSpecsTest {
    private static final ServiceSpecs SPECS = new ServiceSpecs("inst-1", "octohost", Duration.ofSeconds(3), Duration.ofSeconds(30));
    private static final String IMAGE = "127.0.0.1:5000/hello:v2@sha256:" + "ab".repeat(32);

    private static RunSpec spec(int release, int instances, Map<String, String> env, Optional<HealthCheck> health, Placement placement) {
        return new RunSpec(AppName.of("hello"), release, Optional.of(new Commit("c".repeat(40))), "sha256:local", Optional.of(IMAGE),
                OptionalInt.of(80), env, OptionalLong.of(64L << 20), Capabilities.DEFAULT, instances, health, placement);
    }

    @Test
    void aReleaseIsAServiceNamedAfterTheAppLabelledLikeItsContainersAndRolledStartFirstWithRollback() {
        ServiceSpec s = SPECS.of(spec(2, 3, Map.of("GREETING", "hi"), Optional.empty(), Placement.ANYWHERE));

        assertEquals("hello", s.getName());
        assertEquals("hello", s.getLabels().get("octohost.app"));
        assertEquals("2", s.getLabels().get("octohost.release"));
        assertEquals("inst-1", s.getLabels().get("octohost.instance"));
        assertEquals("80", s.getTaskTemplate().getContainerSpec().getLabels().get("octohost.port"));
        assertEquals(3L, s.getMode().getReplicated().getReplicas());
        assertEquals(IMAGE, s.getTaskTemplate().getContainerSpec().getImage());
        assertEquals(List.of("GREETING=hi"), s.getTaskTemplate().getContainerSpec().getEnv());
        assertEquals(Boolean.TRUE, s.getTaskTemplate().getContainerSpec().getInit());
        assertEquals(Duration.ofSeconds(3).toNanos(), s.getTaskTemplate().getContainerSpec().getStopGracePeriod());
        assertEquals(64L << 20, s.getTaskTemplate().getResources().getLimits().getMemoryBytes());
        assertEquals(1L, s.getUpdateConfig().getParallelism());
        assertEquals(UpdateOrder.START_FIRST, s.getUpdateConfig().getOrder());
        assertEquals(UpdateFailureAction.ROLLBACK, s.getUpdateConfig().getFailureAction());
        assertEquals(UpdateOrder.START_FIRST, s.getRollbackConfig().getOrder());
        PortConfig port = s.getEndpointSpec().getPorts().get(0);
        assertEquals(80, port.getTargetPort());
        assertEquals(PortConfig.PublishMode.host, port.getPublishMode());
        assertEquals(0, port.getPublishedPort(), "a random host port per task");
        assertEquals(EndpointResolutionMode.DNSRR, s.getEndpointSpec().getMode());
        assertEquals("octohost", s.getTaskTemplate().getNetworks().get(0).getTarget());
    }

    @Test
    void theAppsHealthCheckRunsInTheContainerAsAWgetOfItsPath() {
        HealthCheck check = new HealthCheck("/health?x=1 y", 2, Duration.ofSeconds(1), Duration.ofSeconds(4));
        var hc = SPECS.of(spec(1, 1, Map.of(), Optional.of(check), Placement.ANYWHERE)).getTaskTemplate().getContainerSpec().getHealthCheck();

        // exec form: the path reaches wget as one argument, never a shell
        assertEquals(List.of("CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/health?x=1 y"), hc.getTest());
        assertEquals(2, hc.getRetries());
        assertEquals(Duration.ofSeconds(1).toNanos(), hc.getInterval());
        assertEquals(0L, hc.getStartPeriod());
    }

    @Test
    void withoutAPathTheCheckIsThatThePortListensWithinTheReadyTimeout() {
        var hc = SPECS.of(spec(1, 1, Map.of(), Optional.empty(), Placement.ANYWHERE)).getTaskTemplate().getContainerSpec().getHealthCheck();

        assertEquals(List.of("CMD", "grep", "-qsE", ":0050 [0-9A-F]+:[0-9A-F]+ 0A ", "/proc/net/tcp", "/proc/net/tcp6"), hc.getTest());
        assertEquals(Duration.ofSeconds(30).toNanos(), hc.getStartPeriod());
        String line = "   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1";
        assertTrue(java.util.regex.Pattern.compile(hc.getTest().get(3)).matcher(line).find());
    }

    @Test
    void placementKeysBecomeConstraintsMaxReplicasLimitsAndReservations() {
        Placement p = new Placement(List.of("node.labels.tier==web", "node.role!=manager"), OptionalInt.of(1),
                OptionalLong.of(500_000_000L), OptionalLong.of(250_000_000L), OptionalLong.of(32L << 20));
        var task = SPECS.of(spec(1, 2, Map.of(), Optional.empty(), p)).getTaskTemplate();

        assertEquals(List.of("node.labels.tier==web", "node.role!=manager"), task.getPlacement().getConstraints());
        assertEquals(1, task.getPlacement().getMaxReplicas());
        assertEquals(500_000_000L, task.getResources().getLimits().getNanoCPUs());
        assertEquals(250_000_000L, task.getResources().getReservations().getNanoCPUs());
        assertEquals(32L << 20, task.getResources().getReservations().getMemoryBytes());
    }

    @Test
    void theDigestTellsAScaleFromAChangeOfHowTheTasksRun() {
        String d = SPECS.digest(spec(1, 1, Map.of("A", "1"), Optional.empty(), Placement.ANYWHERE));

        assertEquals(d, SPECS.digest(spec(2, 3, Map.of("A", "1"), Optional.empty(), Placement.ANYWHERE)), "a scale");
        assertNotEquals(d, SPECS.digest(spec(2, 1, Map.of("A", "2"), Optional.empty(), Placement.ANYWHERE)), "a config change");
        assertEquals(d, SPECS.of(spec(5, 1, Map.of("A", "1"), Optional.empty(), Placement.ANYWHERE)).getLabels().get("octohost.spec"));
    }
}
