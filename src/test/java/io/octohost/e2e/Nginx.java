package io.octohost.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/**
 * A private nginx master for one fixture: its own prefix directory, config, pid file and
 * an include file ({@code containers.conf}) that only octod writes. It listens wherever
 * octod's rendered file says; with no routed app it listens nowhere.
 */
public final class Nginx implements AutoCloseable {
    private final Path prefix;
    private final Path conf;
    private final Path include;
    private final Path pidFile;

    private Nginx(Path prefix) {
        this.prefix = prefix;
        this.conf = prefix.resolve("nginx.conf");
        this.include = prefix.resolve("containers.conf");
        this.pidFile = prefix.resolve("nginx.pid");
    }

    /** Writes the config into {@code prefix} (which must exist) and starts nginx (it daemonizes). */
    public static Nginx start(Path prefix) {
        Nginx n = new Nginx(prefix.toAbsolutePath());
        try {
            n.writeConfig();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Proc.Result r = Proc.of(n.commandPrefix()).timeout(Duration.ofSeconds(30)).run();
        if (!r.ok()) throw new IllegalStateException("private nginx did not start:\n" + r.describe());
        Await.until("nginx writes its pid file " + n.pidFile, Duration.ofSeconds(10), () -> n.pid().isPresent());
        return n;
    }

    private void writeConfig() throws IOException {
        // nginx workers run as nobody: they must reach the prefix and its temp dir.
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tmp = Files.createDirectories(prefix.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(prefix.resolve("logs"));
        if (!Files.exists(include)) Files.createFile(include);
        String x = prefix.toString();
        String text = "worker_processes 1;\n"
                + "pid " + x + "/nginx.pid;\n"
                + "error_log " + x + "/error.log;\n"
                + "events {}\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  client_body_temp_path " + x + "/tmp;\n"
                + "  proxy_temp_path " + x + "/tmp;\n"
                + "  fastcgi_temp_path " + x + "/tmp;\n"
                + "  uwsgi_temp_path " + x + "/tmp;\n"
                + "  scgi_temp_path " + x + "/tmp;\n"
                + "  include " + include + ";\n"
                + "}\n";
        Files.writeString(conf, text);
    }

    /** The command octod gets as {@code --nginx-cmd}: it appends {@code -t} or {@code -s reload}. */
    public String command() {
        return String.join(" ", commandPrefix());
    }

    private String[] commandPrefix() {
        return new String[] {"nginx", "-c", conf.toString(), "-p", prefix.toString()};
    }

    /** The file octod renders ({@code --nginx-conf}). */
    public Path includeFile() {
        return include;
    }

    public Path errorLog() {
        return prefix.resolve("error.log");
    }

    public Optional<Long> pid() {
        try {
            String s = Files.readString(pidFile).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        Optional<Long> pid = pid();
        Proc.of("nginx", "-c", conf.toString(), "-p", prefix.toString(), "-s", "stop").timeout(Duration.ofSeconds(10)).run();
        pid.flatMap(ProcessHandle::of).ifPresent(h -> {
            try {
                Await.until("nginx " + h.pid() + " stops", Duration.ofSeconds(5), () -> !h.isAlive());
            } catch (AssertionError e) {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }
        });
    }
}
