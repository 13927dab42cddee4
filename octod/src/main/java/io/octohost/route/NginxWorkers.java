package io.octohost.route;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * nginx's worker processes, seen through /proc. After {@code -s reload} the master starts new
 * workers and only then tells the old ones to quit; until an old worker has got that word it still
 * accepts connections with the old routes. A route is live once every old worker is gone or says
 * "shutting down". Where /proc shows nothing (another pid namespace), this knows nothing and waits for nothing.
 * The master waits 100 ms after starting the new workers before it tells the old ones; whoever may
 * signal nginx can tell them as soon as the new workers exist, as the master would.
 */
final class NginxWorkers {
    private NginxWorkers() {
    }

    /** The workers beside the given one: the children of its master. */
    static Set<Long> siblingsOf(long workerPid) {
        long master = parentOf(workerPid);
        Set<Long> workers = new TreeSet<>();
        if (master <= 1) {
            return workers;
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(pid -> parentOf(pid) == master && isWorker(pid)).forEach(workers::add);
        } catch (IOException e) {
            // no /proc to read: nothing to wait for
        }
        return workers;
    }

    private static boolean isWorker(long pid) {
        String cmdline = cmdline(pid);
        return cmdline.contains("worker process") && !cmdline.contains("shutting down");
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** True once the process no longer takes connections: it is gone, or it is shutting down. */
    static boolean retired(long pid) {
        String cmdline = cmdline(pid);
        return !cmdline.contains("worker process") || cmdline.contains("shutting down");
    }

    /**
     * True once the master of these workers has started others beside them, the new generation's:
     * from then on the listening sockets have workers of the new configuration, and a connection
     * the old ones no longer take waits in the backlog for a new one.
     */
    static boolean succeeded(Set<Long> workers) {
        return workers.stream().findFirst().map(NginxWorkers::siblingsOf)
                .filter(now -> !now.isEmpty() && !workers.containsAll(now)).isPresent();
    }

    /**
     * Asks the workers that still take connections to stop (SIGQUIT: each finishes the requests it
     * serves, then exits). A worker octod may not signal is left to its master.
     */
    static void quit(Set<Long> pids) {
        List<String> cmd = new ArrayList<>(List.of("kill", "-QUIT"));
        pids.stream().filter(pid -> !retired(pid)).map(String::valueOf).forEach(cmd::add);
        if (cmd.size() == 2) {
            return;
        }
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the master tells them 100 ms later
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long parentOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // the command name is in parentheses and may hold spaces: the fields follow the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
