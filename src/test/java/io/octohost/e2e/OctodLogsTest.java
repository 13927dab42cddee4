package io.octohost.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check scripts/test runs over every octod log of the suite ({@link OctodLogs}): what it finds and what it leaves. */
class OctodLogsTest {
    private static final Path OCTOD_JAR = Path.of(System.getProperty("octohost.root", "../.."), "octod/target/octod.jar");
    private final OctodLogs check = new OctodLogs(Set.of("io.octohost.app.UserError", "io.octohost.app.NotFound",
            "io.octohost.app.Conflict", "io.octohost.auth.Permissions$Forbidden"));

    @Test
    void theUserErrorsAreUserErrorAndEveryClassOfOctodJarThatExtendsIt() throws Exception {
        Set<String> found = OctodLogs.userErrors(OCTOD_JAR);
        assertTrue(found.containsAll(List.of("io.octohost.app.UserError", "io.octohost.app.NotFound", "io.octohost.app.Conflict",
                "io.octohost.app.WrongState", "io.octohost.app.Stopped", "io.octohost.auth.Permissions$Forbidden",
                "io.octohost.state.StateUnavailable")), found::toString);
        assertFalse(found.contains("io.octohost.app.Redacted"), found::toString);
    }

    @Test
    void aStackTraceOfAUserErrorAPlantedSecretAndATokenAreEachOneHitWithoutTheSecret(@TempDir Path dir) throws Exception {
        String secret = Secrets.planted("socket");
        String token = "oct_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE";
        Path log = dir.resolve("octod.log");
        Files.writeString(log, String.join("\n",
                "12:05:17.303 INFO  Octod - octod ready",
                "12:05:18.000 ERROR Commands - command config:set of shop failed [ab12]",
                "(message withheld) io.octohost.app.NotFound",
                "\tat io.octohost.command.Commands.run(Commands.java:95)",
                "12:05:19.000 WARN  Thing - retrying",
                "java.lang.IllegalStateException: wrapped",
                "\tat io.octohost.deploy.Deploy.run(Deploy.java:1)",
                "Caused by: (message withheld) io.octohost.auth.Permissions$Forbidden",
                "\t... 3 common frames omitted",
                "12:05:20.000 INFO  Config - config:set shop API_TOKEN=" + secret,
                "12:05:21.000 INFO  Api - refused GET /v1/apps with Bearer " + token,
                // not hits: a one-line mention, a stack trace of a bug, a frame through a user error's constructor
                "12:05:22.000 INFO  Commands - refused: io.octohost.app.Conflict",
                "12:05:23.000 ERROR ExecCommands - ssh command git-receive-pack failed [eadca7b1]",
                "(message withheld) org.apache.sshd.common.channel.exception.SshChannelClosedException",
                "\tat io.octohost.app.NotFound.<init>(NotFound.java:5)",
                "\tat io.octohost.git.GitReceiver.receive(GitReceiver.java:80)",
                "") + "\n");

        List<String> hits = check.hits(log);

        assertEquals(List.of(
                log + ":3: a stack trace of the user error io.octohost.app.NotFound",
                log + ":8: a stack trace of the user error io.octohost.auth.Permissions$Forbidden",
                log + ":10: a planted secret planted-secret-socket-...",
                log + ":11: an API token oct_..."), hits);
        assertFalse(String.join("\n", hits).contains(secret.substring(Secrets.PLANTED.length() + "socket-".length())), "a secret in the report");
        assertFalse(String.join("\n", hits).contains(token.substring(4, 10)), "a token in the report");
    }

    @Test
    void aLogWithoutThemHasNoHit(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("octod.log"), "$ OCTOD_REGISTRY_PASSWORD=*** java -jar octod.jar\n"
                + "12:05:17.303 INFO  Octod - octod ready\n12:05:21.000 INFO  Api - refused GET /v1/apps from 127.0.0.1: a token that is not valid\n");
        assertEquals(List.of(), check.hits(log));
    }

    @Test
    void onlyTheLogsWrittenSinceTheStampAreRead(@TempDir Path dir) throws Exception {
        Instant stamp = Instant.parse("2026-12-03T12:30:00Z");
        Path old = Files.writeString(Files.createDirectories(dir.resolve("OldTest")).resolve("octod.log"), "old\n");
        Files.setLastModifiedTime(old, FileTime.from(stamp.minusSeconds(60)));
        Path fresh = Files.writeString(Files.createDirectories(dir.resolve("FreshTest")).resolve("octod.log"), "fresh\n");
        Files.setLastModifiedTime(fresh, FileTime.from(stamp.plusSeconds(60)));
        Files.writeString(dir.resolve("FreshTest").resolve("transcript.txt"), "not octod's log\n");

        assertEquals(List.of(fresh), OctodLogs.writtenSince(dir, FileTime.from(stamp)));
    }
}
