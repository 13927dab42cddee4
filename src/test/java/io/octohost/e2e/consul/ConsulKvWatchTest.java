package io.octohost.e2e.consul;

import io.octohost.e2e.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Http;
import io.octohost.e2e.Octohost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5, acceptance 3: a {@code consul kv put} of DOMAINS reaches nginx within 5 s (a blocking
 * query, no restart); a {@code consul kv put} of a config key takes effect on the next restart.
 */
@Tag("docker")
@Tag("consul")
class ConsulKvWatchTest {
    @RegisterExtension
    @Order(1)
    static final ConsulAgent consul = ConsulAgent.create(false);

    @RegisterExtension
    @Order(2)
    static final Octohost octohost = Octohost.builder().extraArgs(consul.octodArgs()).build();

    @Test
    void domainsPutInConsulAreServedWithinFiveSeconds() {
        String app = "cdom";
        String page = Content.unique("cdom");
        octohost.deployed(app, page);
        assertNotEquals(page, Http.get(octohost.httpPort(), "shop.cdom.test", "/").bodyText());

        // when DOMAINS is put straight into Consul
        long t0 = System.nanoTime();
        consul.kvPut("octohost/cdom/DOMAINS", "shop.cdom.test www.cdom.test");

        // then nginx serves the app there within 5 s, with no command and no restart
        Await.until("shop.cdom.test and www.cdom.test serve cdom", Duration.ofSeconds(5),
                () -> List.of(Http.get(octohost.httpPort(), "shop.cdom.test", "/").bodyText(),
                        Http.get(octohost.httpPort(), "www.cdom.test", "/").bodyText()),
                bodies -> bodies.equals(List.of(page, page)));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("DOMAINS put in Consul served after " + millis + " ms");
        assertEquals(page, octohost.get(app).bodyText(), "APP.DOMAIN stays");
        String domains = octohost.octo(null, "domains", app).orFail().output();
        assertTrue(domains.contains("shop.cdom.test") && domains.contains("www.cdom.test"), domains);

        // when a domain is taken away in Consul, nginx stops serving it, as fast
        consul.kvPut("octohost/cdom/DOMAINS", "www.cdom.test");
        Await.until("shop.cdom.test no longer serves cdom, www.cdom.test still does", Duration.ofSeconds(5),
                () -> List.of(Http.get(octohost.httpPort(), "shop.cdom.test", "/").bodyText(),
                        Http.get(octohost.httpPort(), "www.cdom.test", "/").bodyText()),
                bodies -> !bodies.get(0).equals(page) && bodies.get(1).equals(page));
    }

    @Test
    void aConfigKeyPutInConsulTakesEffectOnTheNextRestart() throws IOException {
        String app = "ckey";
        Path example = octohost.root().resolve("examples/hello");
        octohost.app(app).copyFrom(example).deploy("master", Files.readString(example.resolve("www/index.html")));
        assertFalse(env(app).contains("GREETING=from consul"));

        consul.kvPut("octohost/ckey/GREETING", "from consul ✓");
        assertEquals("from consul ✓", octohost.octo(null, "config:get", app, "GREETING").orFail().trimmed(),
                "octod reads what was put in Consul");
        assertFalse(env(app).contains("GREETING=from consul ✓"), "the running container is not changed by a put");

        octohost.octo(null, "apps:restart", app).orFail();
        assertTrue(env(app).contains("GREETING=from consul ✓"), () -> "env after restart: " + env(app));
    }

    /** The container's environment, from examples/hello's /cgi-bin/env (NUL-separated NAME=value). */
    private static List<String> env(String app) {
        Http.Response r = octohost.get(app, "/cgi-bin/env");
        assertEquals(200, r.status(), r::toString);
        return Arrays.asList(new String(r.body(), StandardCharsets.UTF_8).split("\0"));
    }
}
