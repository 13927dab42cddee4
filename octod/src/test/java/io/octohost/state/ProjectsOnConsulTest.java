package io.octohost.state;

import io.octohost.app.AppName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GitHub projects and the deliveries seen live in Consul's KV as in the embedded store: another octod reads them. */
@Tag("consul")
class ProjectsOnConsulTest {
    @Test
    void projectsAndDeliveriesAreReadBackThroughConsul() throws Exception {
        try (ConsulAgent agent = ConsulAgent.start();
             ConsulStateStore one = new ConsulStateStore(agent.url(), Optional.empty());
             ConsulStateStore other = new ConsulStateStore(agent.url(), Optional.empty())) {
            new Projects(one).add(new Projects.Project("shop", "acme/shop", "https://github.com/acme/shop.git", AppName.of("shop"),
                    List.of("main", "feature/*"), "s3cret", "ghp_token"));
            new Deliveries(one).remember("72d3162e-cc78-11e3-81ab-4c9367dc0958");
            Projects.Project read = new Projects(other).forRepo("acme/shop").orElseThrow();
            assertEquals(List.of("main", "feature/*"), read.branches());
            assertEquals("s3cret", read.secret());
            assertEquals("ghp_token", read.githubToken());
            assertTrue(new Deliveries(other).seen("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
            assertFalse(new Deliveries(other).seen("another"));
        }
    }
}
