package io.octohost.e2e.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.e2e.Await;
import io.octohost.e2e.Http;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.SshKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two ways a user reaches octod's command tree, with stdout and stderr kept apart (the fixture's
 * {@link Proc} merges them, and the CLI's contract is about stderr): the real octo jar over the API
 * socket, and the real OpenSSH client. Also follows long-running commands (logs -f).
 */
public final class Cli {
    public static final Duration TIMEOUT = Duration.ofSeconds(90);

    private Cli() {
    }

    /** A finished command: exit code (-1 on timeout), stdout and stderr as bytes. */
    public record Run(List<String> command, int exit, byte[] stdoutBytes, byte[] stderrBytes) {
        public String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        public String stderr() {
            return new String(stderrBytes, StandardCharsets.UTF_8);
        }

        public boolean ok() {
            return exit == 0;
        }

        public Run orFail() {
            if (exit != 0) throw new AssertionError("command failed:\n" + describe());
            return this;
        }

        /** The stdout parsed as JSON (fails with the output when it does not parse). */
        public JsonNode json() {
            try {
                return Json.parse(stdout());
            } catch (RuntimeException e) {
                throw new AssertionError("the output of " + String.join(" ", command) + " is not JSON: " + e.getMessage()
                        + "\n" + describe(), e);
            }
        }

        public String describe() {
            return "$ " + String.join(" ", command) + "\n[exit " + (exit == -1 ? "TIMEOUT" : exit) + "]\n--- stdout ---\n"
                    + stdout() + "\n--- stderr ---\n" + stderr();
        }
    }

    /** {@code java -jar octo.jar --api-socket SOCK ARGS...}, stdin from the bytes given (or /dev/null). */
    public static Run octo(Octohost o, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", o.octoJar().toString(),
                "--api-socket", o.apiSocket().toString()));
        cmd.addAll(List.of(args));
        return run(cmd, stdin);
    }

    public static Run octo(Octohost o, String... args) {
        return octo(o, null, args);
    }

    /** {@code ssh -p PORT git@127.0.0.1 COMMAND}: the command goes as one string, as a user types it in quotes. */
    public static Run ssh(Octohost o, SshKey key, String command) {
        return run(o.sshCommand(key, "git@127.0.0.1", command), null);
    }

    public static Run ssh(Octohost o, SshKey key, byte[] stdin, String command) {
        return run(o.sshCommand(key, "git@127.0.0.1", command), stdin);
    }

    public static Run run(List<String> cmd, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LC_ALL", "C.UTF-8");
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread tOut = pump(p.getInputStream(), out);
        Thread tErr = pump(p.getErrorStream(), err);
        if (stdin != null) {
            try (var os = p.getOutputStream()) {
                os.write(stdin);
            } catch (IOException ignored) {
                // it may exit without reading
            }
        }
        try {
            boolean finished = p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) Proc.destroyTree(p);
            p.waitFor(5, TimeUnit.SECONDS);
            tOut.join(5000);
            tErr.join(5000);
            synchronized (out) {
                synchronized (err) {
                    return new Run(List.copyOf(cmd), finished ? p.exitValue() : -1, out.toByteArray(), err.toByteArray());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Proc.destroyTree(p);
            throw new IllegalStateException(e);
        }
    }

    /** A command left running (logs -f), its stdout and stderr collected as they come. */
    public static final class Follower implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        Follower(List<String> command) {
            this.command = command;
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().put("LC_ALL", "C.UTF-8");
            pb.redirectInput(ProcessBuilder.Redirect.PIPE); // kept open: ssh and octo follow until interrupted
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pump(process.getInputStream(), out);
            pump(process.getErrorStream(), err);
        }

        public String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        public String stderr() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Waits until stdout contains the text; fails (with what came) after the timeout or if the command ended. */
        void awaitOutput(String text, Duration timeout) {
            awaitStdout("'" + text + "'", timeout, out -> out.contains(text));
        }

        /** Waits for the first whole line of stdout, and returns it. */
        String awaitFirstLine(Duration timeout) {
            String out = awaitStdout("a whole line", timeout, s -> s.contains("\n"));
            return out.substring(0, out.indexOf('\n'));
        }

        private String awaitStdout(String what, Duration timeout, java.util.function.Predicate<String> done) {
            String out;
            try {
                out = Await.until(String.join(" ", command) + " prints " + what, timeout, this::stdout,
                        s -> done.test(s) || !process.isAlive());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr(), e);
            }
            if (!done.test(out)) {
                throw new AssertionError(String.join(" ", command) + " ended (exit " + process.exitValue()
                        + ") before printing " + what + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            return out;
        }

        @Override
        public void close() {
            Proc.destroyTree(process);
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static Follower followOcto(Octohost o, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", o.octoJar().toString(),
                "--api-socket", o.apiSocket().toString()));
        cmd.addAll(List.of(args));
        return new Follower(cmd);
    }

    public static Follower followSsh(Octohost o, SshKey key, String command) {
        return new Follower(o.sshCommand(key, "git@127.0.0.1", command));
    }

    // ---------------------------------------------------------------- the container's environment

    /**
     * The environment of the container that answers GET /cgi-bin/env (the test app's CGI printing
     * /proc/1/environ), as its raw NUL-separated entries in order.
     */
    public static List<byte[]> envEntries(Http.Response r) {
        if (r.status() != 200) throw new AssertionError("GET /cgi-bin/env: " + r);
        List<byte[]> entries = new ArrayList<>();
        byte[] b = r.body();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                entries.add(Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        if (start < b.length) entries.add(Arrays.copyOfRange(b, start, b.length));
        return entries;
    }

    /** The entries as a map: name to value, split at the first '=' (values decoded as UTF-8). */
    public static Map<String, String> env(Http.Response r) {
        Map<String, String> env = new LinkedHashMap<>();
        for (byte[] e : envEntries(r)) {
            String s = new String(e, StandardCharsets.UTF_8);
            int eq = s.indexOf('=');
            if (eq > 0) env.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return env;
    }

    /** Whether some entry is exactly the bytes of {@code NAME=value} in UTF-8. */
    public static boolean hasEntry(Http.Response r, String name, String value) {
        byte[] want = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
        return envEntries(r).stream().anyMatch(e -> Arrays.equals(e, want));
    }

    // ---------------------------------------------------------------- helpers

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "cli-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
