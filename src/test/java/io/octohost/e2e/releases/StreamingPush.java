package io.octohost.e2e.releases;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;

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
 * A {@code git push} whose output is read line by line as it comes, each line with the time it
 * arrived: to act at a moment of a deploy (kill octod when the build starts) or to compare the
 * timing of two pushes. Same environment as {@link AppRepo#push}: the admin key, no user config.
 * The fixture does not know these pushes: the test removes the images of its apps itself.
 */
final class StreamingPush {
    /** One line of output and when it arrived (System.nanoTime()). */
    record Line(long nanos, String text) {
    }

    private final Process process;
    private final List<Line> lines = new ArrayList<>();
    private final Thread reader;
    private final String command;

    private StreamingPush(Process process, String command) {
        this.process = process;
        this.command = command;
        this.reader = new Thread(this::read, "push-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static StreamingPush start(Octohost octohost, AppRepo repo, String refspec) {
        List<String> cmd = List.of("git", "push", "--progress", repo.url(), refspec);
        ProcessBuilder pb = Proc.of(cmd).dir(repo.dir()).builder();
        pb.environment().put("GIT_AUTHOR_NAME", "octohost e2e");
        pb.environment().put("GIT_AUTHOR_EMAIL", "e2e@octohost.test");
        pb.environment().put("GIT_COMMITTER_NAME", "octohost e2e");
        pb.environment().put("GIT_COMMITTER_EMAIL", "e2e@octohost.test");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_SSH_COMMAND", "ssh " + String.join(" ", octohost.sshOptions(octohost.adminKey())));
        try {
            return new StreamingPush(pb.start(), String.join(" ", cmd));
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
            lines.notifyAll();
        }
    }

    /** Waits until a line matches; fails the test with the output so far after the timeout. */
    Line await(Predicate<String> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen).text())) return lines.get(seen);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    throw new AssertionError("the push printed no line with " + what + " within " + timeout + ":\n" + output());
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Waits for git to exit (killing it after the timeout) and returns its exit code (-1 on timeout). */
    int waitFor(Duration timeout) {
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

    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String output() {
        StringBuilder out = new StringBuilder();
        for (Line l : lines()) out.append(l.text()).append('\n');
        return out.toString();
    }

    String describe() {
        return "$ " + command + "\n" + output();
    }
}
