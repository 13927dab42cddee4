package io.octohost.discovery;

import io.octohost.app.UserError;
import io.octohost.state.ConsulAgent;
import io.octohost.state.ConsulStateStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DOMAINS watch against a real agent: blocking queries, no polling. */
@Tag("consul")
class DomainsWatchTest {
    @Test
    void reportsDomainChangesAtOnceAndOutages() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        DomainsWatch.Listener listener = new DomainsWatch.Listener() {
            @Override
            public void reached() {
                events.add("reached");
            }

            @Override
            public void failed(UserError e) {
                events.add("failed " + e.getMessage());
            }

            @Override
            public void domainsChanged(Set<String> apps) {
                events.add("domains " + String.join(",", apps));
            }

            @Override
            public void configChanged() {
                events.add("config");
            }
        };
        try (ConsulAgent agent = ConsulAgent.start();
             ConsulStateStore store = new ConsulStateStore(agent.url(), Optional.empty())) {
            store.put("octohost/hello/DOMAINS", bytes("a.test"));
            DomainsWatch watch = new DomainsWatch(store, listener, new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)));
            Thread thread = new Thread(watch, "watch");
            thread.setDaemon(true);
            thread.start();
            assertEquals("reached", events.poll(10, TimeUnit.SECONDS));

            store.put("octohost/hello/DOMAINS", bytes("a.test b.test"));
            // the watch's blocking query waits 60 s when nothing changes: seen sooner, the change woke it
            assertEquals("domains hello", events.poll(30, TimeUnit.SECONDS), "a change is seen within a blocking query's answer");
            assertEquals("config", events.poll(5, TimeUnit.SECONDS));

            store.put("octohost/hello/GREETING", bytes("hi"));
            assertEquals("config", events.poll(5, TimeUnit.SECONDS));

            store.put("octohost/web/DOMAINS", bytes("w.test"));
            store.delete("octohost/hello/DOMAINS");
            String next = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(next);
            assertTrue(next.startsWith("domains "), next);

            events.clear();
            agent.stop();
            String failed = null;
            for (String e = events.poll(10, TimeUnit.SECONDS); e != null; e = events.poll(2, TimeUnit.SECONDS)) {
                if (e.startsWith("failed ")) {
                    failed = e;
                    break;
                }
            }
            assertNotNull(failed, "the watch reports the outage");
            assertTrue(failed.startsWith("failed state store unavailable: cannot reach Consul"), failed);
            watch.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
