package io.octohost.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** octod's flags, read and checked as they are parsed: a bad value is one line naming the flag. */
class SettingsTest {
    static Settings parse(String... args) {
        Settings settings = new Settings();
        new CommandLine(settings).parseArgs(args);
        return settings;
    }

    @Test
    void flagsBecomeTypedValues() {
        Settings s = parse("--ssh-listen", "[::1]:2022", "--http-port", "8080", "--drain-grace", "0", "--stop-timeout", "3",
                "--ready-timeout", "7", "--min-free-space", "500M", "--nginx-cmd", "nginx -c '/tmp/my dir/nginx.conf'",
                "--nginx-reload", "watch", "--state", "consul", "--consul-url", "http://127.0.0.1:8501", "--registry", "r.test:5000/x",
                "--domain", "apps.example.test");
        assertTrue(s.sshAddress().getAddress().isLoopbackAddress());
        assertEquals(2022, s.sshAddress().getPort());
        assertEquals(8080, s.httpPort());
        assertEquals(Duration.ZERO, s.drainGrace());
        assertEquals(Duration.ofSeconds(3), s.stopTimeout());
        assertEquals(Duration.ofSeconds(7), s.readyTimeout());
        assertEquals(500L << 20, s.minFreeBytes());
        assertEquals(List.of("nginx", "-c", "/tmp/my dir/nginx.conf"), s.nginxCommand());
        assertFalse(s.nginxReloadBySignal());
        assertTrue(s.consulState());
        assertEquals(8501, s.consulUrl().getPort());
        assertEquals("r.test:5000/x", s.registry().orElseThrow());
        assertEquals("apps.example.test", s.domain());
    }

    @Test
    void theDefaultsParse() {
        Settings s = parse();
        assertTrue(s.nginxReloadBySignal());
        assertFalse(s.consulState());
        assertEquals(2L << 30, s.minFreeBytes());
        assertEquals(5, s.keepReleases());
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 8420)), s.httpApiAddress());
        assertEquals(50, s.builds().keep());
        assertEquals(4L << 20, s.builds().logMaxBytes());
        assertEquals(Duration.ofSeconds(60), s.builds().callbackRetryFor());
    }

    @Test
    void theHttpApiListensWhereToldOrNowhere() {
        assertEquals(Optional.of(new InetSocketAddress("0.0.0.0", 9000)), parse("--http-api-listen", "0.0.0.0:9000").httpApiAddress());
        assertEquals(Optional.of(new InetSocketAddress("::1", 9000)), parse("--http-api-listen", "[::1]:9000").httpApiAddress());
        assertEquals(Optional.empty(), parse("--http-api-listen", "off").httpApiAddress());
    }

    @Test
    void buildRetentionAndCallbacksAreTyped() {
        Settings s = parse("--build-log-max", "512K", "--keep-builds", "3", "--callback-retry-for", "0");
        assertEquals(512L << 10, s.builds().logMaxBytes());
        assertEquals(3, s.builds().keep());
        assertEquals(Duration.ZERO, s.builds().callbackRetryFor());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--ssh-listen|2222|'2222' is not HOST:PORT",
        "--http-api-listen|8420|'8420' is not HOST:PORT",
        "--http-api-listen|localhost:|'localhost:' is not HOST:PORT",
        "--http-api-listen|localhost:99999|'localhost:99999' is not HOST:PORT",
        "--http-api-listen|on|'on' is not HOST:PORT",
        "--http-port|70000|70000 is not a port",
        "--http-port|x|'x' is not a port",
        "--min-free-space|lots|'lots' is not a size like 2G or 500M",
        "--drain-grace|-1|must not be negative",
        "--ready-timeout|0|must be at least 1 second",
        "--keep-releases|0|must be at least 1",
        "--keep-builds|0|must be at least 1",
        "--build-log-max|lots|'lots' is not a size like 2G or 500M",
        "--callback-retry-for|-1|must not be negative",
        "--nginx-reload|sometimes|expected one of [signal, watch]",
        "--state|etcd|expected one of [embedded, consul]",
        "--consul-url|ftp://x|'ftp://x' is not http://HOST:PORT",
        "--registry|a b|'a b' is not host:port[/prefix]",
        "--domain|Example.COM|'Example.COM' is not a lowercase host name",
        "--nginx-cmd|''|empty"})
    void aBadValueIsOneLineNamingTheFlag(String flag, String value, String reason) {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> parse(flag, value));
        assertTrue(e.getMessage().contains(flag), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--runner swarm --registry r.test:5000|--runner swarm needs --state consul",
        "--runner swarm --state consul|--runner swarm needs --registry",
        "--runner swarm --state consul --registry r.test:5000 --registry-optional|--registry-optional cannot go with --runner swarm"})
    void theSwarmRunnerNeedsConsulAndARegistry(String args, String reason) {
        Settings s = parse(args.split(" "));
        io.octohost.app.UserError e = assertThrows(io.octohost.app.UserError.class, s::checkCombination);
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void theRunnerIsDockerUnlessSaidOtherwise() {
        assertFalse(parse().swarm());
        Settings swarm = parse("--runner", "swarm", "--state", "consul", "--registry", "r.test:5000");
        assertTrue(swarm.swarm());
        swarm.checkCombination();
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> parse("--runner", "k8s"));
        assertTrue(e.getMessage().contains("expected one of [docker, swarm]"), e.getMessage());
    }
}
