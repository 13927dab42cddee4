package io.octohost.route;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code NGINX_CMD ARGS} with a timeout that holds: the output goes to a file, not a pipe
 * octod must drain, so a hanging nginx is killed (with what it started) when the time is up.
 */
final class NginxCommand {
    private final List<String> prefix;
    private final Duration timeout;

    NginxCommand(List<String> prefix, Duration timeout) {
        this.prefix = List.copyOf(prefix);
        this.timeout = timeout;
    }

    /** Empty on success, else nginx's most telling line (or why it did not finish), on one line. */
    Optional<String> run(String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(args));
        String shown = String.join(" ", cmd);
        File output = null;
        try {
            output = File.createTempFile("octod-nginx-", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return Optional.of(shown + " did not finish within " + timeout.toSeconds() + " s: killed");
            }
            if (p.exitValue() == 0) {
                return Optional.empty();
            }
            String text = Files.readString(output.toPath(), StandardCharsets.UTF_8);
            return Optional.of(text.lines().filter(l -> l.contains("[emerg]") || l.contains("[error]") || l.contains("[alert]"))
                    .findFirst().or(() -> text.lines().reduce((a, b) -> b))
                    .map(l -> l.replaceFirst("^nginx: ", "")).orElse(shown + " exited with " + p.exitValue()));
        } catch (IOException e) {
            return Optional.of("cannot run " + shown + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            if (output != null) {
                output.delete();
            }
        }
    }
}
