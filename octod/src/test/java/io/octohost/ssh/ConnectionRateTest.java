package io.octohost.ssh;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --ssh-max-connections-per-minute: a source gets that many attempts a minute, others are not touched. */
class ConnectionRateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSourceGetsItsAttemptsAMinuteAndKeepsTryingInVain() throws Exception {
        ConnectionRate rate = new ConnectionRate(3);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("10.0.0.2");
        for (int i = 0; i < 3; i++) {
            assertTrue(rate.admit(a, i * SECOND));
        }
        assertFalse(rate.admit(a, 3 * SECOND));
        assertTrue(rate.admit(b, 3 * SECOND), "another source is not limited");
        assertFalse(rate.admit(a, 59 * SECOND), "refused attempts count: it keeps trying, it stays refused");
        assertTrue(rate.admit(a, 120 * SECOND), "a minute without attempts frees it");
    }
}
