package io.octohost.e2e.hardening;

import io.octohost.e2e.Await;
import io.octohost.e2e.Proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A dockerd of the test's own, so that a test may stop the engine without touching the machine's
 * (which other work shares): its own data root, exec root (and so its own containerd), pid file,
 * socket, containerd namespace and bridge, and no iptables rules. Stopped and started again, it keeps
 * its data root, as a real engine restart would.
 */
final class PrivateDockerd implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private final Path dataRoot;
    private final Path execRoot;
    private final Path socket;
    private final Path log;
    private final String bridge;
    private final List<String> command;
    private Process process;

    private PrivateDockerd(String id) throws IOException {
        dataRoot = Files.createDirectories(Path.of("/var/lib/octohost-e2e-dockerd", id));
        execRoot = Files.createDirectories(Path.of("/run/oe2e-" + id));
        socket = execRoot.resolve("docker.sock");
        log = Files.createTempFile("private-dockerd-", ".log");
        Path config = execRoot.resolve("daemon.json");
        Files.writeString(config, "{}\n");
        bridge = "oe2e" + id;
        String subnet = freeSubnet();
        Proc.of("ip", "link", "add", "name", bridge, "type", "bridge").run().orFail();
        Proc.of("ip", "addr", "add", subnet + ".1/24", "dev", bridge).run().orFail();
        Proc.of("ip", "link", "set", bridge, "up").run().orFail();
        command = List.of("dockerd", "--data-root", dataRoot.toString(), "--exec-root", execRoot.toString(),
                "--pidfile", execRoot.resolve("docker.pid").toString(), "-H", "unix://" + socket, "--config-file", config.toString(),
                "--bridge", bridge, "--iptables=false", "--ip-masq=false", "--containerd-namespace", "oe2e-" + id,
                "--containerd-plugins-namespace", "oe2e-plugins-" + id, "--cgroup-parent", "oe2e-" + id);
    }

    /**
     * A /24 no interface or route of the machine uses, so that the bridge clashes with no network of
     * the shared engine (which, in turn, never allocates a pool that overlaps a route).
     */
    private static String freeSubnet() {
        String routes = Proc.of("ip", "-4", "route").run().orFail().output() + Proc.of("ip", "-4", "addr").run().orFail().output();
        for (int i = 200; i < 250; i++) {
            String prefix = "172.31." + i;
            if (!routes.contains(prefix + ".") && !routes.contains("172.31.0.0/16")) {
                return prefix;
            }
        }
        throw new IllegalStateException("no free 172.31.x.0/24 for a private dockerd's bridge:\n" + routes);
    }

    /** Starts a private dockerd and loads the image into it from the machine's engine. */
    static PrivateDockerd start(String image) {
        try {
            PrivateDockerd d = new PrivateDockerd(Integer.toString(new Random().nextInt(1 << 20), 36));
            d.start();
            Proc.of("bash", "-c", "docker save " + image + " | docker -H " + d.host() + " load").timeout(Duration.ofSeconds(120)).run().orFail();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What DOCKER_HOST should say to reach it. */
    String host() {
        return "unix://" + socket;
    }

    /** Starts it (again), and waits until it answers. */
    void start() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("the private dockerd answers (log " + log + ")", START_TIMEOUT, () -> docker("info").ok(), ok -> ok);
    }

    /** Stops it as an admin would (SIGTERM: it stops its containers), and waits until it is gone. */
    void stop() {
        Proc.stop(process, Duration.ofSeconds(60));
    }

    Proc.Result docker(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker", "-H", host()));
        cmd.addAll(List.of(args));
        return Proc.of(cmd).timeout(Duration.ofSeconds(60)).run();
    }

    /** Removes everything it made: containers, the engine and its containerd, its directories, its bridge. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            List<String> all = docker("ps", "-aq").output().lines().filter(l -> !l.isBlank()).toList();
            if (!all.isEmpty()) {
                List<String> rm = new java.util.ArrayList<>(List.of("rm", "-f"));
                rm.addAll(all);
                docker(rm.toArray(String[]::new));
            }
            stop();
        }
        // its containerd, should it outlive dockerd
        ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(execRoot.toString()))
                .orElse(false)).forEach(ProcessHandle::destroyForcibly);
        Proc.of("bash", "-c", "grep -o ' " + dataRoot + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l").run();
        Proc.of("bash", "-c", "grep -o ' " + execRoot + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l").run();
        Proc.of("ip", "link", "del", bridge).run();
        delete(dataRoot);
        delete(execRoot);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
