package io.octohost.e2e.releases;

import io.octohost.e2e.Await;
import io.octohost.e2e.Proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Restarts the machine's dockerd the way scripts/lib.sh starts it ({@code setsid dockerd}, log in
 * /var/log/dockerd.log): as a reboot would, it stops every container, and Docker gives the
 * containers it restarts new host ports. Affects everything on the machine: use it last in a class,
 * and call {@link #ensureRunning()} whatever happened. Between {@link #stop()} and {@link #start()}
 * a shutdown hook starts dockerd again should the test JVM be terminated.
 */
final class Dockerd {
    private static final Path PID_FILE = Path.of("/var/run/docker.pid");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static Thread restartOnExit;

    private Dockerd() {
    }

    /** The pid in /var/run/docker.pid, if that process is a live dockerd. */
    static Optional<Long> pid() {
        try {
            long pid = Long.parseLong(Files.readString(PID_FILE).strip());
            return isLiveDockerd(pid) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A dockerd that has not exited: a zombie (exited, not yet reaped) is not one. */
    private static boolean isLiveDockerd(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(stat.indexOf('(') + 1, close);
            char state = stat.charAt(close + 2);
            return comm.equals("dockerd") && state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean anyLiveDockerd() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .anyMatch(n -> isLiveDockerd(Long.parseLong(n)));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean answers() {
        return Proc.of("docker", "info").timeout(Duration.ofSeconds(20)).run().ok();
    }

    /** Stops dockerd, removes its pid file, starts it again, waits for it. */
    static void restart() {
        stop();
        start();
    }

    /** Stops dockerd (SIGTERM, SIGKILL after a minute) and removes its pid file. */
    static synchronized void stop() {
        long pid = pid().orElseThrow(() -> new IllegalStateException("no running dockerd in " + PID_FILE
                + ": this test restarts the dockerd that scripts/lib.sh starts"));
        if (restartOnExit == null) {
            restartOnExit = new Thread(() -> {
                try {
                    start();
                } catch (RuntimeException e) {
                    System.err.println("could not start dockerd again: " + e.getMessage());
                }
            }, "dockerd-restart-on-exit");
            Runtime.getRuntime().addShutdownHook(restartOnExit);
        }
        Proc.of("kill", "-TERM", Long.toString(pid)).run().orFail();
        try {
            Await.until("dockerd " + pid + " exits on SIGTERM", STOP_TIMEOUT, () -> !isLiveDockerd(pid));
        } catch (AssertionError e) {
            Proc.of("kill", "-KILL", Long.toString(pid)).run();
            Await.until("dockerd " + pid + " exits on SIGKILL", Duration.ofSeconds(15), () -> !isLiveDockerd(pid));
        }
        try {
            Files.deleteIfExists(PID_FILE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + PID_FILE, e);
        }
    }

    /** Starts dockerd like scripts/lib.sh's ensure_dockerd, unless it answers; waits until it answers. */
    static void ensureRunning() {
        if (answers()) return;
        start();
    }

    /** Starts dockerd as scripts/lib.sh does (unless a live one runs) and waits until it answers. */
    static synchronized void start() {
        if (!anyLiveDockerd()) {
            if (pid().isEmpty()) {
                try {
                    Files.deleteIfExists(PID_FILE);
                } catch (IOException ignored) {
                    // dockerd then says why it cannot start
                }
            }
            // detached, in its own session, as scripts/lib.sh does; appends, so the log before the restart stays
            Proc.of("bash", "-c", "setsid dockerd >>/var/log/dockerd.log 2>&1 </dev/null &")
                    .timeout(Duration.ofSeconds(10)).run().orFail();
        }
        try {
            Await.until("dockerd answers", START_TIMEOUT, Dockerd::answers);
        } catch (AssertionError e) {
            String log = Proc.of("tail", "-n", "20", "/var/log/dockerd.log").run().output();
            throw new IllegalStateException(e.getMessage() + "; /var/log/dockerd.log:\n" + log, e);
        }
        if (restartOnExit != null && Thread.currentThread() != restartOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(restartOnExit);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs, finds dockerd answering, and returns
            }
            restartOnExit = null;
        }
    }
}
