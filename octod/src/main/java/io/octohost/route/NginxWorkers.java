package io.octohost.route;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * nginx's worker processes, seen through /proc. After {@code -s reload} the master starts new
 * workers and only then tells the old ones to quit; until an old worker has got that word it still
 * accepts connections with the old routes. A route is live once every old worker is gone or says
 * "shutting down". Where /proc shows nothing (another pid namespace), this knows nothing and waits for nothing.
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
