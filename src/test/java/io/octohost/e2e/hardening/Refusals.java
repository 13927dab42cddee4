package io.octohost.e2e.hardening;

import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.cli.Cli;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tries bad inputs on an octohost that runs some apps, and holds each to the standard: refused with
 * a clear one-line message (not "internal error"), and the state, the images, the routes and the
 * running apps exactly as before. Each is written down for RELIABILITY.md.
 */
final class Refusals {
    private final Octohost octohost;
    private final Class<?> test;
    private final List<String> apps;
    /** What the last check found: a refusal leaves it as it was, so it is the next one's "before". */
    private Snapshot last;

    Refusals(Octohost octohost, Class<?> test, String... apps) {
        this.octohost = octohost;
        this.test = test;
        this.apps = List.of(apps);
    }

    /** What a try printed and its exit code. */
    record Attempt(int exit, String output) {
        static Attempt of(Cli.Run run) {
            return new Attempt(run.exit(), run.stdout() + run.stderr());
        }

        static Attempt of(PushResult push) {
            return new Attempt(push.exitCode(), push.output());
        }
    }

    /** An octo command over the API socket. */
    Attempt octo(byte[] stdin, String... args) {
        return Attempt.of(Cli.octo(octohost, stdin, args));
    }

    Attempt octo(String... args) {
        return octo(null, args);
    }

    /** An octo command over SSH with the admin key, as one command string. */
    Attempt ssh(String command) {
        return ssh(octohost.adminKey(), command);
    }

    Attempt ssh(io.octohost.e2e.SshKey key, String command) {
        return Attempt.of(Cli.ssh(octohost, key, command));
    }

    /** A bash script, for bytes no Java string carries into an argument (e.g. $(printf '\351')). */
    Attempt bash(String script) {
        io.octohost.e2e.Proc.Result r = io.octohost.e2e.Proc.of("bash", "-c", script).timeout(Cli.TIMEOUT).run();
        return new Attempt(r.exitCode(), r.output());
    }

    /** Forgets what was seen last: the test changed something on purpose. */
    void changed() {
        last = null;
    }

    /**
     * Runs the try and checks that it was refused with {@code message} and changed nothing.
     * {@code category} and {@code input} name it in RELIABILITY.md; {@code via} is the way in.
     */
    void assertRefused(String category, String input, String via, String message, Supplier<Attempt> attempt) {
        Snapshot before = last != null ? last : Snapshot.of(octohost, apps);
        Attempt result = attempt.get();
        String what = category + ": " + input + " (" + via + ")\n[exit " + result.exit() + "]\n" + result.output();
        assertNotEquals(0, result.exit(), () -> "not refused: " + what);
        assertTrue(result.output().contains(message), () -> "expected '" + message + "' in " + what);
        assertFalse(result.output().contains("internal error"), () -> "a user error must not be an internal error: " + what);
        Snapshot after = Snapshot.of(octohost, apps);
        assertEquals(before.state(), after.state(), () -> "the state changed: " + what);
        assertEquals(before.images(), after.images(), () -> "the images changed: " + what);
        assertEquals(before.routes(), after.routes(), () -> "the routes changed: " + what);
        assertEquals(before.containers(), after.containers(), () -> "the apps' containers changed: " + what);
        assertEquals(before.served(), after.served(), () -> "what the apps serve changed: " + what);
        last = after;
        Reliability.input(test, category, input, via, message);
    }
}
