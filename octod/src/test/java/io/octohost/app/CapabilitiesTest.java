package io.octohost.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an app's containers may do: Docker's default capabilities minus five, and the app's CAP_DROP and CAP_ADD. */
class CapabilitiesTest {
    @Test
    void byDefaultFiveOfDockersCapabilitiesGo() {
        assertEquals(List.of("AUDIT_WRITE", "MKNOD", "NET_RAW", "SETFCAP", "SYS_CHROOT"), Capabilities.DEFAULT.capDrop());
        assertEquals(List.of(), Capabilities.DEFAULT.capAdd());
    }

    @Test
    void anAppDropsMoreOrGivesBack() {
        Capabilities c = Capabilities.parse("cap_kill, SETPCAP", "NET_RAW");
        assertEquals(List.of("AUDIT_WRITE", "KILL", "MKNOD", "SETFCAP", "SETPCAP", "SYS_CHROOT"), c.capDrop());
        assertEquals(List.of(), c.capAdd());
    }

    @Test
    void allCanGoAndSomeComeBack() {
        Capabilities c = Capabilities.parse("ALL", "NET_BIND_SERVICE CHOWN");
        assertEquals(List.of("ALL"), c.capDrop());
        assertEquals(List.of("CHOWN", "NET_BIND_SERVICE"), c.capAdd());
    }

    @Test
    void onlyDockersDefaultCapabilitiesComeBack() {
        UserError e = assertThrows(UserError.class, () -> Capabilities.parse("", "SYS_ADMIN"));
        assertTrue(e.getMessage().startsWith("invalid CAP_ADD 'SYS_ADMIN': name capabilities of Docker's default set"), e.getMessage());
        assertThrows(UserError.class, () -> Capabilities.parse("", "ALL"));
        assertThrows(UserError.class, () -> Capabilities.parse("NET_ADMIN", ""));
    }
}
