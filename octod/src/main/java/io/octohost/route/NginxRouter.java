package io.octohost.route;

import io.octohost.app.AppName;
import io.octohost.app.Domains;
import io.octohost.app.Route;
import io.octohost.app.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders one nginx file from Freemarker templates, swaps it in atomically, validates it with
 * {@code NGINX_CMD -t} (restoring the previous file if nginx refuses it), reloads, and then asks
 * nginx until the new generation answers: {@code -s reload} returns before the new workers do.
 */
public final class NginxRouter implements Router {
    /** Served first, so it is also the default server; no app can claim it. */
    public static final String PROBE_HOST = Domains.PROBE_HOST;
    public static final String PROBE_PATH = "/.octohost/generation";
    private static final Logger log = LoggerFactory.getLogger(NginxRouter.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Path confFile;
    private final NginxCommand nginx;
    private final int httpPort;
    private final boolean reloadBySignal;
    private final RoutesTemplate template;
    private final TreeMap<AppName, Route> table = new TreeMap<>();
    /** Starts from the clock so a restarted octod never reuses a generation an old worker still serves. */
    private long generation = System.currentTimeMillis();

    /**
     * @param reloadBySignal true: run {@code NGINX_CMD -s reload}; false: a privileged watcher of
     *                       the file reloads nginx (octod runs unprivileged), and octod waits for it
     */
    public NginxRouter(Path confFile, List<String> nginxCmd, int httpPort, boolean reloadBySignal,
                       Optional<Path> templatesDir) {
        this.confFile = confFile;
        this.nginx = new NginxCommand(nginxCmd, COMMAND_TIMEOUT);
        this.httpPort = httpPort;
        this.reloadBySignal = reloadBySignal;
        this.template = new RoutesTemplate(templatesDir, httpPort, PROBE_HOST, PROBE_PATH);
    }

    @Override
    public synchronized void route(Route route) {
        if (route.equals(table.get(route.app()))) {
            return; // nginx serves it already (the undo of a change nginx refused, say): no reload
        }
        TreeMap<AppName, Route> next = new TreeMap<>(table);
        next.put(route.app(), route);
        apply(next);
    }

    @Override
    public synchronized void unroute(AppName app) {
        if (!table.containsKey(app)) {
            return;
        }
        TreeMap<AppName, Route> next = new TreeMap<>(table);
        next.remove(app);
        apply(next);
    }

    @Override
    public synchronized void replaceAll(Collection<Route> routes) {
        TreeMap<AppName, Route> next = new TreeMap<>();
        routes.forEach(r -> next.put(r.app(), r));
        if (alreadyServed(next)) {
            table.clear();
            table.putAll(next);
            return;
        }
        apply(next);
    }

    /**
     * Whether nginx serves exactly these routes already: the file holds them as rendered for the
     * generation nginx answers with. So a restarted octod whose apps kept their containers reloads nothing.
     */
    private boolean alreadyServed(TreeMap<AppName, Route> next) {
        String served = probe().map(answer -> answer[0]).orElse("");
        byte[] current = readCurrent();
        return current != null && served.matches("\\d{1,18}") && Arrays.equals(current,
                template.render(next.values(), Long.parseLong(served)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized Map<AppName, Route> routes() {
        return Map.copyOf(table);
    }

    private void apply(TreeMap<AppName, Route> next) {
        long nextGeneration = generation + 1;
        String rendered = template.render(next.values(), nextGeneration);
        byte[] previous = readCurrent();
        write(rendered.getBytes(StandardCharsets.UTF_8));
        Optional<String> refusal = nginx.run("-t");
        if (refusal.isPresent()) {
            restore(previous);
            throw new UserError("nginx rejected the new configuration: " + refusal.get());
        }
        Set<Long> oldWorkers = currentWorkers();
        Optional<String> reloadError = reloadBySignal ? nginx.run("-s", "reload") : Optional.empty();
        if (reloadError.isPresent()) {
            restore(previous);
            throw new UserError("nginx could not reload: " + reloadError.get());
        }
        generation = nextGeneration;
        table.clear();
        table.putAll(next);
        confirm(nextGeneration, oldWorkers);
    }

    /** The workers serving now, found through the one that answers the probe. */
    private Set<Long> currentWorkers() {
        return probe().filter(answer -> answer.length == 2 && answer[1].matches("\\d+"))
                .map(answer -> NginxWorkers.siblingsOf(Long.parseLong(answer[1]))).orElse(Set.of());
    }

    /** What the worker that answers the probe says, split: its generation and its pid; empty when none answers. */
    private Optional<String[]> probe() {
        String[] answer = HttpProbe.get(httpPort, PROBE_HOST, PROBE_PATH);
        return answer == null ? Optional.empty() : Optional.of(answer[1].strip().split(" "));
    }

    private byte[] readCurrent() {
        try {
            return Files.exists(confFile) ? Files.readAllBytes(confFile) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void restore(byte[] previous) {
        if (previous == null) {
            try {
                Files.deleteIfExists(confFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            write(previous);
        }
    }

    /** Temp file, fsync, rename: nginx never reads a half-written file. */
    private void write(byte[] content) {
        try {
            Files.createDirectories(confFile.getParent());
            Path tmp = confFile.resolveSibling("." + confFile.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(tmp, confFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError("cannot write " + confFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asks nginx until the new generation answers, then waits until every old worker has stopped
     * taking connections (telling them to, when octod reloads nginx itself): only then can no
     * request meet the old routes.
     */
    private void confirm(long gen, Set<Long> oldWorkers) {
        String expected = Long.toString(gen);
        long deadline = System.nanoTime() + CONFIRM_TIMEOUT.toNanos();
        boolean toldToQuit = !reloadBySignal;
        while (true) {
            boolean answered = probe().filter(answer -> expected.equals(answer[0])).isPresent();
            if (answered && oldWorkers.stream().allMatch(NginxWorkers::retired)) {
                break;
            }
            if (!toldToQuit && NginxWorkers.succeeded(oldWorkers)) {
                NginxWorkers.quit(oldWorkers);
                toldToQuit = true;
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new UserError("nginx did not serve the new routes within " + CONFIRM_TIMEOUT.toSeconds()
                        + " s on port " + httpPort);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted");
            }
        }
        log.debug("nginx serves generation {}", gen);
    }
}
