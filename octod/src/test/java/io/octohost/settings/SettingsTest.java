package io.octohost.settings;

import io.octohost.app.UserError;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The settings this issue added: the HTTP API's address (or off), build retention and log cap, callback retries. */
class SettingsTest {
    private static Settings parse(String... args) {
        Settings settings = new Settings();
        new CommandLine(settings).parseArgs(args);
        return settings;
    }

    @Test
    void theHttpApiListensOnLoopbackByDefaultAndCanBeTurnedOff() {
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 8420)), parse().httpApiAddress());
        assertEquals(Optional.of(new InetSocketAddress("0.0.0.0", 9000)), parse("--http-api-listen", "0.0.0.0:9000").httpApiAddress());
        assertEquals(Optional.of(new InetSocketAddress("::1", 9000)), parse("--http-api-listen", "[::1]:9000").httpApiAddress());
        assertEquals(Optional.empty(), parse("--http-api-listen", "off").httpApiAddress());
        for (String bad : new String[] {"8420", "localhost:", "localhost:99999", "on"}) {
            UserError e = assertThrows(UserError.class, () -> parse("--http-api-listen", bad).validate(), bad);
            assertEquals("--http-api-listen: '" + bad + "' is not HOST:PORT", e.getMessage());
        }
    }

    @Test
    void buildsAndCallbacksHaveDefaultsAndRefuseNonsense() {
        Settings defaults = parse();
        assertEquals(50, defaults.keepBuilds());
        assertEquals(4L << 20, defaults.buildLogMaxBytes());
        assertEquals(Duration.ofSeconds(60), defaults.callbackRetryFor());
        assertEquals(512L << 10, parse("--build-log-max", "512K").buildLogMaxBytes());
        assertEquals("--build-log-max: 'lots' is not a size like 2G or 500M",
                assertThrows(UserError.class, () -> parse("--build-log-max", "lots").validate()).getMessage());
        assertThrows(UserError.class, () -> parse("--keep-builds", "0").validate());
        assertThrows(UserError.class, () -> parse("--callback-retry-for", "-1").validate());
    }
}
