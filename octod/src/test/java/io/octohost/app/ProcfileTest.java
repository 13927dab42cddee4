package io.octohost.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Heroku's Procfile format: types and commands, comments, blank lines, and a one-line error for a bad line. */
class ProcfileTest {
    @Test
    void typesAndCommandsWithCommentsAndBlankLines() {
        String text = "# the processes\n\nweb: ./server --port $PORT\r\nworker:   sh -c 'while true; do work; done'  \n"
                + "  clock_2-b :bin/clock: every 5\n";
        assertEquals(Map.of("web", "./server --port $PORT", "worker", "sh -c 'while true; do work; done'",
                "clock_2-b", "bin/clock: every 5"), Procfile.parse(text));
        assertEquals(Map.of(), Procfile.parse("\n# nothing yet\n"));
    }

    @Test
    void aMalformedLineFailsNamingIt() {
        assertEquals("Procfile line 2 is malformed (give 'type: command'): just a command",
                assertThrows(UserError.class, () -> Procfile.parse("web: a\njust a command\n")).getMessage());
        assertEquals("Procfile line 1 is malformed (a process type is letters, digits, '_' and '-' (at most 63)): my worker: x",
                assertThrows(UserError.class, () -> Procfile.parse("my worker: x")).getMessage());
        assertEquals("Procfile line 1 is malformed (a process type is letters, digits, '_' and '-' (at most 63)): : x",
                assertThrows(UserError.class, () -> Procfile.parse(": x")).getMessage());
        assertEquals("Procfile line 3 is malformed (the command of worker is empty): worker:",
                assertThrows(UserError.class, () -> Procfile.parse("web: a\n\nworker:")).getMessage());
        assertEquals("Procfile line 2 is malformed (web is defined twice): web: b",
                assertThrows(UserError.class, () -> Procfile.parse("web: a\nweb: b")).getMessage());
        assertEquals("Procfile line 1 is malformed (an exec form command is a JSON array of strings, not empty): w: [\"a\", 1",
                assertThrows(UserError.class, () -> Procfile.parse("w: [\"a\", 1")).getMessage());
    }

    @Test
    void aCommandRunsThroughShOrAsAnExecFormArray() {
        assertEquals(List.of("sh", "-c", "echo $HOME && work"), Procfile.command("echo $HOME && work"));
        assertEquals(List.of("/bin/worker", "--once", "a b"), Procfile.command("[\"/bin/worker\", \"--once\", \"a b\"]"));
    }
}
