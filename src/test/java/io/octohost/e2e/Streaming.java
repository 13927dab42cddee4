package io.octohost.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command left running whose output (stdout and stderr, merged) is read line by line as it comes,
 * each line with the time it arrived: to act at a moment of a deploy (kill octod when the build
 * starts, push again while a push holds the app) or to compare the timing of two pushes. Started by
 * {@link AppRepo#startPush(String)} and {@link Octohost#startOcto(String...)}.
 */
public final class Streaming {
    /** One line of output and when it arrived (System.nanoTime()). */
    public record Line(long nanos, String text) {
    }

    private final Process process;
    private final List<Line> lines = new ArrayList<>();
    private final Thread reader;
    private final List<String> command;

    private Streaming(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        this.reader = new Thread(this::read, "push-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static Streaming start(Proc proc) {
        ProcessBuilder pb = proc.builder();
        try {
            return new Streaming(pb.start(), List.copyOf(pb.command()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            // git ends progress lines with \r: split on both
            StringBuilder current = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n' || c == '\r') {
                    if (current.length() > 0) add(current.toString());
                    current.setLength(0);
                } else {
                    current.append((char) c);
                }
            }
            if (current.length() > 0) add(current.toString());
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private void add(String text) {
        synchronized (lines) {
            lines.add(new Line(System.nanoTime(), text));
        }
    }

    /** Waits until a line matches and returns it; fails with the output so far after the timeout or when the command ended. */
    public Line await(Predicate<String> match, Duration timeout, String what) {
        List<Line> seen;
        try {
            seen = Await.until(String.join(" ", command) + " prints a line with " + what, timeout,
                    this::lines, all -> all.stream().anyMatch(l -> match.test(l.text())) || ended());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + describe(), e);
        }
        return seen.stream().filter(l -> match.test(l.text())).findFirst().orElseThrow(() ->
                new AssertionError("it ended without a line with " + what + ":\n" + describe()));
    }

    private boolean ended() {
        return !process.isAlive() && !reader.isAlive();
    }

    /** Waits for the command to exit (killing it after the timeout) and returns its exit code (-1 on timeout). */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Proc.destroyTree(process);
                process.waitFor(5, TimeUnit.SECONDS);
                reader.join(5000);
                return -1;
            }
            reader.join(5000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the command to exit, as {@link #waitFor}, and returns its outcome. */
    public Proc.Result result(Duration timeout) {
        int exit = waitFor(timeout);
        return new Proc.Result(command, exit, output(), exit == -1);
    }

    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public String output() {
        StringBuilder out = new StringBuilder();
        for (Line l : lines()) out.append(l.text()).append('\n');
        return out.toString();
    }

    public String describe() {
        return "$ " + String.join(" ", command) + "\n" + output();
    }
}
