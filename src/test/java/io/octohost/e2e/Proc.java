package io.octohost.e2e;

import java.io.ByteArrayOutputStream;
import java.io.File;
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

/** Runs a command to completion with a timeout; stdout and stderr are merged. */
public final class Proc {

    /** The outcome of a command: its exit code (-1 if it timed out) and its merged output. */
    public record Result(List<String> command, int exitCode, String output, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** For assertion messages. */
        public String describe() {
            return "$ " + String.join(" ", command) + "\n[exit " + (timedOut ? "TIMEOUT" : exitCode) + "]\n" + output;
        }

        /** Fails unless the command exited 0. */
        public Result orFail() {
            if (!ok()) throw new AssertionError("command failed:\n" + describe());
            return this;
        }

        /** The output with surrounding whitespace removed. */
        public String trimmed() {
            return output.strip();
        }
    }

    private final List<String> command = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path dir;
    private Path stdin;
    private byte[] stdinBytes;
    private Duration timeout = Duration.ofSeconds(60);

    private Proc(List<String> command) {
        this.command.addAll(command);
        env.put("LC_ALL", "C.UTF-8");
    }

    public static Proc of(String... command) {
        return new Proc(Arrays.asList(command));
    }

    public static Proc of(List<String> command) {
        return new Proc(command);
    }

    public Proc env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Proc env(Map<String, String> vars) {
        env.putAll(vars);
        return this;
    }

    public Proc dir(Path dir) {
        this.dir = dir;
        return this;
    }

    public Proc stdin(Path file) {
        this.stdin = file;
        return this;
    }

    public Proc stdin(byte[] bytes) {
        this.stdinBytes = bytes;
        return this;
    }

    public Proc timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Builds the ProcessBuilder (stdin from /dev/null unless given), for callers that manage the process. */
    public ProcessBuilder builder() {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (dir != null) pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        if (stdin != null) pb.redirectInput(stdin.toFile());
        else if (stdinBytes == null) pb.redirectInput(new File("/dev/null"));
        return pb;
    }

    public Result run() {
        Process p;
        try {
            p = builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "proc-output");
        reader.setDaemon(true);
        reader.start();
        if (stdinBytes != null) {
            try (var os = p.getOutputStream()) {
                os.write(stdinBytes);
            } catch (IOException ignored) {
                // the process may exit without reading its input
            }
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                destroyTree(p);
                p.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(p);
            throw new IllegalStateException("interrupted while running " + command, e);
        }
        String output;
        synchronized (out) {
            output = out.toString(StandardCharsets.UTF_8);
        }
        return new Result(List.copyOf(command), finished ? p.exitValue() : -1, output, !finished);
    }

    /** Stops a process as an operator would (SIGTERM), then with SIGKILL if it is not gone within {@code grace}; waits for it. */
    public static void stop(Process p, Duration grace) {
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills a process and everything it started. */
    public static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
