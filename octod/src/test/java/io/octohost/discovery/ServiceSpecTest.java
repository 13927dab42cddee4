package io.octohost.discovery;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ServiceSpecTest {
    private static final Backend BACKEND = new Backend("0123456789abcdef0123", "hello.x.1", "172.17.0.5", 80, "127.0.0.1", 32768);

    @Test
    void defaultsAreOctohosts() {
        ServiceSpec s = ServiceSpec.of(AppName.of("hello"), BACKEND, Map.of());
        assertEquals("hello-0123456789ab", s.id());
        assertEquals("hello", s.name());
        assertEquals("127.0.0.1", s.address());
        assertEquals(32768, s.port());
        assertEquals(List.of("http"), s.tags());
        assertEquals("http://127.0.0.1:32768", s.checkUrl());
        assertEquals("15s", s.checkInterval());
    }

    @Test
    void tagsComeFromConsulTags() {
        assertEquals(List.of("http", "web", "v2"), ServiceSpec.tags("http, web v2,,web"));
        assertEquals(List.of("http"), ServiceSpec.tags("  ,  "));
    }

    @Test
    void customCheckIsAPathOrAUrl() {
        assertEquals("http://127.0.0.1:9/health", ServiceSpec.checkUrl("127.0.0.1", 9, Map.of("CUSTOM_CHECK", "/health")));
        assertEquals("http://127.0.0.1:9/health", ServiceSpec.checkUrl("127.0.0.1", 9, Map.of("CUSTOM_CHECK", "health")));
        assertEquals("http://127.0.0.1:9/status?full=1",
                ServiceSpec.checkUrl("127.0.0.1", 9, Map.of("CUSTOM_CHECK", "http://172.17.0.5:80/status?full=1")));
        assertEquals("http://127.0.0.1:9", ServiceSpec.checkUrl("127.0.0.1", 9, Map.of("CUSTOM_CHECK", "http://172.17.0.5:80")));
        assertEquals("http://127.0.0.1:9/ready", ServiceSpec.checkUrl("127.0.0.1", 9, Map.of("HEALTHCHECK_PATH", "/ready")));
        assertEquals("http://127.0.0.1:9/c", ServiceSpec.checkUrl("127.0.0.1", 9, Map.of("HEALTHCHECK_PATH", "/ready", "CUSTOM_CHECK", "/c")));
        assertEquals("http://127.0.0.1:9", ServiceSpec.checkUrl("127.0.0.1", 9, Map.of("CUSTOM_CHECK", "/a b")));
    }

    @Test
    void intervalTakesGoDurationsOrSeconds() {
        assertEquals("30s", ServiceSpec.interval("30s"));
        assertEquals("1m30s", ServiceSpec.interval("1m30s"));
        assertEquals("45s", ServiceSpec.interval("45"));
        assertEquals("15s", ServiceSpec.interval("soon"));
        assertEquals("15s", ServiceSpec.interval("0"));
        assertEquals("15s", ServiceSpec.interval(null));
    }

    @Test
    void theDigestFollowsEveryPart() {
        ServiceSpec a = ServiceSpec.of(AppName.of("hello"), BACKEND, Map.of());
        ServiceSpec b = ServiceSpec.of(AppName.of("hello"), BACKEND, Map.of("CONSUL_TAGS", "web"));
        assertEquals(a.digest(), ServiceSpec.of(AppName.of("hello"), BACKEND, Map.of()).digest());
        assertNotEquals(a.digest(), b.digest());
    }
}
