package io.octohost.route;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nginx file the templates in templates/nginx render, for every shape of app. */
class RoutesTemplateTest {
    private final RoutesTemplate template = new RoutesTemplate(Optional.empty(), 8080, "probe.invalid", "/.probe");

    private static Backend backend(int n, int hostPort) {
        return new Backend("c" + n, "hello.lq2x1.m" + n, "172.17.0." + n, 80, hostPort);
    }

    @Test
    void noRoutesRenderOnlyTheProbeServerWhichIsAlsoTheDefault() {
        String conf = template.render(List.of(), 42);
        assertTrue(conf.contains("# Written by octod (generation 42)"), conf);
        assertTrue(conf.contains("    listen 8080;\n    server_name probe.invalid;\n"), conf);
        assertTrue(conf.contains("location = /.probe {\n        default_type text/plain;\n        return 200 \"42 $pid\";"), conf);
        assertFalse(conf.contains("upstream"), conf);
    }

    @Test
    void oneAppWithOneBackend() {
        String conf = template.render(List.of(new Route(AppName.of("hello"), List.of("hello.test.octohost"),
                List.of(backend(1, 32768)))), 1);
        assertTrue(conf.contains("upstream octohost_hello {\n    server 127.0.0.1:32768; # hello.lq2x1.m1\n    keepalive 16;\n}"), conf);
        assertTrue(conf.contains("server {\n    listen 8080;\n    server_name hello.test.octohost;\n"), conf);
        assertTrue(conf.contains("proxy_pass http://octohost_hello;"), conf);
        assertEquals(2, count(conf, "server {"), conf);
    }

    @Test
    void manyBackendsAndSeveralDomainsKeepTheirOrder() {
        String conf = template.render(List.of(new Route(AppName.of("hello"),
                List.of("hello.test.octohost", "a.example.test", "*.wild.example.test"),
                List.of(backend(1, 40001), backend(2, 40002), backend(3, 40003)))), 7);
        assertTrue(conf.contains("    server 127.0.0.1:40001; # hello.lq2x1.m1\n    server 127.0.0.1:40002; # hello.lq2x1.m2\n"
                + "    server 127.0.0.1:40003; # hello.lq2x1.m3\n"), conf);
        assertTrue(conf.contains("server_name hello.test.octohost a.example.test *.wild.example.test;"), conf);
    }

    @Test
    void appsWithoutBackendsOrDomainsAreLeftOutAndTheOthersFollowInOrder() {
        String conf = template.render(List.of(
                new Route(AppName.of("a-1"), List.of("a-1.test.octohost"), List.of(backend(1, 40001))),
                new Route(AppName.of("idle"), List.of("idle.test.octohost"), List.of()),
                new Route(AppName.of("b"), List.of(), List.of(backend(2, 40002))),
                new Route(AppName.of("z9"), List.of("z9.test.octohost"), List.of(backend(3, 40003)))), 3);
        assertFalse(conf.contains("idle"), conf);
        assertFalse(conf.contains("octohost_b "), conf);
        assertTrue(conf.indexOf("upstream octohost_a-1 {") < conf.indexOf("upstream octohost_z9 {"), conf);
        assertEquals(3, count(conf, "server {"), conf);
    }

    @Test
    void oddButValidNamesComeThroughAsTheyAre() {
        String longest = "a".repeat(61) + "-9";
        String domain = "x-1." + "b".repeat(63) + ".example.test";
        String conf = template.render(List.of(new Route(AppName.of(longest), List.of(domain), List.of(backend(1, 65535)))), 9);
        assertTrue(conf.contains("upstream octohost_" + longest + " {"), conf);
        assertTrue(conf.contains("server_name " + domain + ";"), conf);
        assertTrue(conf.contains("server 127.0.0.1:65535;"), conf);
        // numbers render as numbers, never with a thousands separator
        assertFalse(conf.contains("65,535") || conf.contains("8,080"), conf);
    }

    @Test
    void aTemplatesDirOverridesTheBuiltInTemplates(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("app.ftl"), "# custom ${app.name} <#list app.backends as b>${b.port?c}</#list>\n");
        RoutesTemplate custom = new RoutesTemplate(Optional.of(dir), 80, "probe.invalid", "/.probe");
        String conf = custom.render(List.of(new Route(AppName.of("hello"), List.of("h.test"), List.of(backend(1, 40001)))), 1);
        assertTrue(conf.contains("# custom hello 40001"), conf);
        assertTrue(conf.contains("server_name probe.invalid;"), conf);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
