package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: app containers run unprivileged, with no-new-privileges, PID and memory limits by
 * default, and Docker's default capabilities minus five; an app's config drops more or gives back.
 * A real image that chowns its files and switches user at start keeps working.
 */
@Tag("docker")
class ContainerLimitsTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder().readyTimeout(10).extraArgs("--container-pids", "200").build();

    /** A site served by user www after root chowned its files, as many images start. */
    private static final String[] CHOWN_AND_SU = {
        "FROM octohost/busybox:latest",
        "RUN printf 'root:x:0:0:root:/root:/bin/sh\\nwww:x:1000:1000::/www:/bin/sh\\n' > /etc/passwd"
                + " && printf 'root:x:0:\\nwww:x:1000:\\n' > /etc/group && mkdir -p /data",
        "COPY www /www",
        "RUN chmod +x /www/cgi-bin/whoami",
        "EXPOSE 8080",
        "CMD [\"sh\", \"-c\", \"chown -R www /data /www && exec su www -s /bin/sh -c 'httpd -f -p 8080 -h /www'\"]"};

    @BeforeAll
    static void start() {
        Reliability.start(ContainerLimitsTest.class);
    }

    @AfterAll
    static void report() {
        Reliability.writeReport();
    }

    private static String inspect(String container, String format) {
        return Proc.of("docker", "inspect", "-f", format, container).timeout(Duration.ofSeconds(30)).run().orFail().trimmed();
    }

    @Test
    void containersRunUnprivilegedWithLimitsAndFewerCapabilities() {
        octohost.deployed("limited", Content.unique("limited"));
        String c = octohost.onlyContainer("limited");
        assertEquals("false", inspect(c, "{{.HostConfig.Privileged}}"));
        assertEquals("[no-new-privileges]", inspect(c, "{{.HostConfig.SecurityOpt}}"));
        assertEquals("200", inspect(c, "{{.HostConfig.PidsLimit}}"));
        assertEquals(Long.toString(1L << 30), inspect(c, "{{.HostConfig.Memory}}"));
        assertEquals("[AUDIT_WRITE MKNOD NET_RAW SETFCAP SYS_CHROOT]", inspect(c, "{{.HostConfig.CapDrop}}"));
        Proc.Result ping = Proc.of("docker", "exec", c, "ping", "-c", "1", "-W", "1", "127.0.0.1").timeout(Duration.ofSeconds(20)).run();
        assertNotEquals(0, ping.exitCode(), "NET_RAW is dropped: ping needs a raw socket\n" + ping.describe());
        Proc.Result mknod = Proc.of("docker", "exec", c, "mknod", "/tmp/dev", "c", "1", "3").timeout(Duration.ofSeconds(20)).run();
        assertNotEquals(0, mknod.exitCode(), "MKNOD is dropped\n" + mknod.describe());
        Proc.Result forks = Proc.of("docker", "exec", c, "sh", "-c", "for i in $(seq 1 300); do sleep 5 & done; wait")
                .timeout(Duration.ofSeconds(60)).run();
        assertTrue(forks.output().contains("can't fork") || forks.output().contains("Resource temporarily unavailable"),
                "300 processes in a container of --container-pids 200\n" + forks.describe());
        Cli.octo(octohost, "config:set", "limited", "MEMORY_LIMIT=64m").orFail();
        assertEquals(Long.toString(64L << 20), inspect(octohost.awaitOnlyContainer("limited"), "{{.HostConfig.Memory}}"));
        Reliability.limit(ContainerLimitsTest.class, "an app container's privileges", "always",
                "Privileged false, SecurityOpt [no-new-privileges] (docker inspect)");
        Reliability.limit(ContainerLimitsTest.class, "processes in one app container", "--container-pids 200 (default 1024)",
                "PidsLimit 200; 300 background sleeps: the shell could not fork past it");
        Reliability.limit(ContainerLimitsTest.class, "an app container's memory", "--container-memory (default 1G), MEMORY_LIMIT per app",
                "Memory 1073741824 by default, 67108864 after config:set MEMORY_LIMIT=64m");
        Reliability.limit(ContainerLimitsTest.class, "an app container's capabilities", "CAP_DROP / CAP_ADD config keys",
                "CapDrop [AUDIT_WRITE MKNOD NET_RAW SETFCAP SYS_CHROOT] by default; ping (NET_RAW) and mknod (MKNOD) fail inside");
    }

    @Test
    void anImageThatChownsAndSwitchesUserKeepsWorkingAndItsCapabilitiesFollowTheConfig() {
        AppRepo app = octohost.app("chowner");
        app.dockerfile(CHOWN_AND_SU).write("www/index.html", "served by www\n")
                .write("www/cgi-bin/whoami", "#!/bin/sh\necho Content-Type: text/plain\necho\nid -un\n").commit("chown and su");
        PushResult push = app.push("master");
        assertEquals(0, push.exitCode(), push::describe);
        assertEquals("www\n", octohost.get("chowner", "/cgi-bin/whoami").bodyText(), "the app runs as the user it switched to");

        // with every capability dropped, the chown at start fails: the push says so, and the running version stays
        Cli.Run all = Cli.octo(octohost, "config:set", "chowner", "CAP_DROP=ALL");
        assertNotEquals(0, all.exit(), all::describe);
        assertTrue(all.stdout().contains("Operation not permitted") || all.stderr().contains("Operation not permitted"), all::describe);
        assertEquals("www\n", octohost.get("chowner", "/cgi-bin/whoami").bodyText());

        // given back what chown and su need, it runs again with nothing else
        Cli.octo(octohost, "config:set", "chowner", "CAP_DROP=ALL", "CAP_ADD=CHOWN SETUID SETGID").orFail();
        String c = octohost.awaitOnlyContainer("chowner");
        assertEquals("[ALL]", inspect(c, "{{.HostConfig.CapDrop}}"));
        assertEquals("[CHOWN SETGID SETUID]", inspect(c, "{{.HostConfig.CapAdd}}"));
        assertEquals("www\n", octohost.get("chowner", "/cgi-bin/whoami").bodyText());
        Reliability.limit(ContainerLimitsTest.class, "an image that chowns its files and su's to a user at start", "defaults",
                "served as user www; with CAP_DROP=ALL its start fails (Operation not permitted) and the old version keeps serving;"
                        + " with CAP_ADD=CHOWN SETUID SETGID it serves again");
    }
}
