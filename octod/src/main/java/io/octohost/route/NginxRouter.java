package io.octohost.route;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Route;
import io.octohost.app.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders one nginx file from Freemarker templates, swaps it in atomically, validates it with
 * {@code NGINX_CMD -t} (restoring the previous file if nginx refuses it), reloads, and then asks
 * nginx until the new generation answers: {@code -s reload} returns before the new workers do.
 */
public final class NginxRouter implements Router {
    /** A host name no app can have (.invalid is reserved), served first so it is also the default server. */
    public static final String PROBE_HOST = "octohost-probe.invalid";
    public static final String PROBE_PATH = "/.octohost/generation";
    private static final Logger log = LoggerFactory.getLogger(NginxRouter.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    private final Path confFile;
    private final List<String> nginxCmd;
    private final int httpPort;
    private final boolean reloadBySignal;
    private final Configuration templates;
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
        this.nginxCmd = List.copyOf(nginxCmd);
        this.httpPort = httpPort;
        this.reloadBySignal = reloadBySignal;
        this.templates = configure(templatesDir);
    }

    private static Configuration configure(Optional<Path> templatesDir) {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        List<TemplateLoader> loaders = new ArrayList<>();
        try {
            if (templatesDir.isPresent()) {
                loaders.add(new FileTemplateLoader(templatesDir.get().toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loaders.add(new ClassTemplateLoader(NginxRouter.class, "/templates/nginx"));
        cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
        return cfg;
    }

    @Override
    public synchronized void route(Route route) {
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
        apply(next);
    }

    @Override
    public synchronized Map<AppName, Route> routes() {
        return Map.copyOf(table);
    }

    private void apply(TreeMap<AppName, Route> next) {
        long nextGeneration = generation + 1;
        String rendered = render(next, nextGeneration);
        byte[] previous = readCurrent();
        write(rendered.getBytes(StandardCharsets.UTF_8));
        String refusal = run("-t");
        if (refusal != null) {
            restore(previous);
            throw new UserError("nginx rejected the new configuration: " + refusal);
        }
        Set<Long> oldWorkers = currentWorkers();
        String reloadError = reloadBySignal ? run("-s", "reload") : null;
        if (reloadError != null) {
            restore(previous);
            throw new UserError("nginx could not reload: " + reloadError);
        }
        generation = nextGeneration;
        table.clear();
        table.putAll(next);
        confirm(nextGeneration, oldWorkers);
    }

    /** The workers serving now, found through the one that answers the probe. */
    private Set<Long> currentWorkers() {
        String[] answer = HttpProbe.get(httpPort, PROBE_HOST, PROBE_PATH);
        if (answer == null) {
            return Set.of();
        }
        String[] parts = answer[1].strip().split(" ");
        return parts.length == 2 && parts[1].matches("\\d+") ? NginxWorkers.siblingsOf(Long.parseLong(parts[1])) : Set.of();
    }

    String render(Map<AppName, Route> routes, long gen) {
        List<Map<String, Object>> apps = new ArrayList<>();
        for (Route r : routes.values()) {
            List<Map<String, Object>> backends = new ArrayList<>();
            for (Backend b : r.backends()) {
                backends.add(Map.of("host", "127.0.0.1", "port", b.hostPort(), "container", b.containerName()));
            }
            if (backends.isEmpty() || r.domains().isEmpty()) {
                continue;
            }
            apps.add(Map.of("name", r.app().value(), "upstream", "octohost_" + r.app(), "domains", r.domains(),
                    "backends", backends));
        }
        Map<String, Object> model = Map.of("apps", apps, "httpPort", httpPort, "generation", Long.toString(gen),
                "probeHost", PROBE_HOST, "probePath", PROBE_PATH);
        StringWriter out = new StringWriter();
        try {
            templates.getTemplate("containers.conf.ftl").process(model, out);
        } catch (IOException | TemplateException e) {
            throw new UserError("cannot render the nginx templates: " + e.getMessage(), e);
        }
        return out.toString();
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

    /** Runs NGINX_CMD with the arguments; returns null on success, else nginx's most telling line. */
    private String run(String... args) {
        List<String> cmd = new ArrayList<>(nginxCmd);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " did not finish within 30 s";
            }
            if (p.exitValue() == 0) {
                return null;
            }
            return output.lines().filter(l -> l.contains("[emerg]") || l.contains("[error]") || l.contains("[alert]"))
                    .findFirst().or(() -> output.lines().reduce((a, b) -> b))
                    .map(l -> l.replaceFirst("^nginx: ", "")).orElse(String.join(" ", cmd) + " exited with " + p.exitValue());
        } catch (IOException e) {
            return "cannot run " + String.join(" ", cmd) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Asks nginx until the new generation answers, then waits until every old worker has stopped
     * taking connections: only then can no request meet the old routes.
     */
    private void confirm(long gen, Set<Long> oldWorkers) {
        String expected = Long.toString(gen);
        long deadline = System.nanoTime() + CONFIRM_TIMEOUT.toNanos();
        while (true) {
            String[] answer = HttpProbe.get(httpPort, PROBE_HOST, PROBE_PATH);
            boolean answered = answer != null && expected.equals(answer[1].strip().split(" ")[0]);
            if (answered && oldWorkers.stream().allMatch(NginxWorkers::retired)) {
                break;
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
