package io.octohost.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * One running octohost for a test class: a private nginx, an octod process (the built
 * {@code octod/target/octod.jar}) on free loopback ports with its own data dir, and an admin
 * key to push with. Register it as a JUnit extension:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final Octohost octohost = Octohost.withDefaults();
 * </pre>
 *
 * or use {@link #start()} / {@link #close()} directly. octod's output goes to
 * {@code target/e2e/<TestClass>/octod.log}; its tail is printed when a test fails. Containers and
 * images are removed by the label {@code octohost.instance=<id>} at the end (and, if a run crashed,
 * by the next fixture to start).
 */
public final class Octohost implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler, AutoCloseable {
    public static final String DOMAIN = "test.octohost";
    public static final String BASE_IMAGE = "octohost/busybox:latest";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONTAINER_REMOVAL_TIMEOUT = Duration.ofSeconds(30);

    /** Changes the copy of templates/nginx that octod gets as --templates-dir. */
    @FunctionalInterface
    public interface TemplateCustomizer {
        void customize(Path templatesDir) throws IOException;
    }

    public static final class Builder {
        private Integer readyTimeoutSeconds;
        private String adminKeyName = "e2e-admin";
        private TemplateCustomizer templates;
        private Path dataDir;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> extraArgs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>(Map.of(
                // Keep the suite fast: replaced containers are stopped at once, and quickly. Variables
                // octod does not know are ignored, so these are hints, not part of the contract.
                "OCTOD_DRAIN_GRACE", "0",
                "OCTOD_STOP_TIMEOUT", "2"));

        /** The name of the admin key the fixture adds (octods that share a Consul share their key list). */
        public Builder adminKeyName(String name) {
            this.adminKeyName = name;
            return this;
        }

        /** Passes {@code --ready-timeout SECONDS}. */
        public Builder readyTimeout(int seconds) {
            this.readyTimeoutSeconds = seconds;
            return this;
        }

        /** Copies {@code <root>/templates/nginx}, lets the customizer change it, passes {@code --templates-dir}. */
        public Builder templates(TemplateCustomizer customizer) {
            this.templates = customizer;
            return this;
        }

        /** Sets an environment variable of the octod process (e.g. an OCTOD_* setting). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder extraArgs(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Options of octod's JVM, before {@code -jar} (e.g. a JDWP agent a test attaches a debugger to). */
        public Builder jvmArgs(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        /** octod's --data-dir: this directory (which must exist and be empty, e.g. a small tmpfs) instead of a fresh one. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Octohost build() {
            return new Octohost(this);
        }
    }

    private final Builder options;
    private final Path root;
    private final AtomicInteger workTrees = new AtomicInteger();
    private final List<PushResult> pushes = new ArrayList<>();
    private String name = "octohost";
    private boolean failed;

    private Path base;
    private Path dataDir;
    private Path apiSocket;
    private Path keysDir;
    private Path templatesDir;
    private Path logFile;
    private int sshPort;
    private int httpPort;
    private int httpApiPort;
    private Nginx nginx;
    private Process octod;
    private io.octohost.e2e.consul.ConsulAgent consulAgent;
    private List<String> octodCommand;
    private String instanceId;
    private SshKey adminKey;

    private Octohost(Builder options) {
        this.options = options;
        String r = System.getProperty("octohost.root");
        if (r == null) throw new IllegalStateException("system property octohost.root is not set (src/test/pom.xml sets it)");
        this.root = Path.of(r).toAbsolutePath().normalize();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Octohost withDefaults() {
        return builder().build();
    }

    // ---------------------------------------------------------------- JUnit lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        name = context.getRequiredTestClass().getSimpleName();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        failed = true;
        System.err.println("\n==== " + context.getDisplayName() + " failed; octod log: " + logFile + " (last 60 lines) ====");
        System.err.println(octodLogTail(60));
        synchronized (pushes) {
            if (!pushes.isEmpty()) {
                System.err.println("==== last git push of the test ====");
                System.err.println(pushes.get(pushes.size() - 1).describe());
            }
        }
        if (nginx != null && Files.exists(nginx.errorLog())) {
            System.err.println("==== nginx error log " + nginx.errorLog() + " (last 20 lines) ====");
            System.err.println(tail(nginx.errorLog(), 20));
        }
        System.err.println("==== end of logs; work files kept in " + base + " ====");
        throw throwable;
    }

    // ---------------------------------------------------------------- start and stop

    /** Starts nginx and octod and adds the admin key; fails with octod's output if octod does not get ready. */
    public void start() {
        try {
            checkPrerequisites();
            base = Files.createTempDirectory("octohost-e2e-");
            // nginx workers run as nobody and need to reach base/nginx/tmp
            Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            dataDir = options.dataDir != null ? options.dataDir : Files.createDirectories(base.resolve("data"));
            apiSocket = base.resolve("run").resolve("api.sock"); // octod creates the parent
            keysDir = Files.createDirectories(base.resolve("keys"));
            Path logDir = Files.createDirectories(e2eDir().resolve(name));
            logFile = logDir.resolve("octod.log");
            removeStaleInstances();

            nginx = Nginx.start(Files.createDirectories(base.resolve("nginx")));
            if (options.templates != null) templatesDir = copyTemplates();

            sshPort = freePort();
            httpPort = freePort();
            httpApiPort = freePort();
            List<String> cmd = new ArrayList<>(List.of(java()));
            cmd.addAll(options.jvmArgs);
            cmd.addAll(List.of("-jar", octodJar().toString(),
                    "--data-dir", dataDir.toString(),
                    "--ssh-listen", "127.0.0.1:" + sshPort,
                    "--api-socket", apiSocket.toString(),
                    "--http-api-listen", "127.0.0.1:" + httpApiPort,
                    "--domain", DOMAIN,
                    "--http-port", String.valueOf(httpPort),
                    "--nginx-conf", nginx.includeFile().toString(),
                    "--nginx-cmd", nginx.command()));
            if (templatesDir != null) cmd.addAll(List.of("--templates-dir", templatesDir.toString()));
            if (options.readyTimeoutSeconds != null) cmd.addAll(List.of("--ready-timeout", String.valueOf(options.readyTimeoutSeconds)));
            if ("consul".equals(System.getProperty("octohost.state")) && !options.extraArgs.contains("--state")) {
                // -Doctohost.state=consul: the same scenarios with the state in a real Consul agent
                consulAgent = io.octohost.e2e.consul.ConsulAgent.create(false);
                consulAgent.start();
                cmd.addAll(List.of(consulAgent.octodArgs()));
            }
            cmd.addAll(options.extraArgs);
            Files.writeString(logFile, "$ " + options.env.entrySet().stream().map(e -> e.getKey() + "=" + (secret(e.getKey()) ? "***" : e.getValue()) + " ")
                    .collect(java.util.stream.Collectors.joining()) + String.join(" ", cmd) + "\n");
            octodCommand = List.copyOf(cmd);
            octod = startOctodProcess();
            awaitReady();

            instanceId = Files.readString(dataDir.resolve("instance-id")).strip();
            if (instanceId.isEmpty()) throw new IllegalStateException(dataDir.resolve("instance-id") + " is empty");
            registerInstance(instanceId);
            adminKey = addKey(options.adminKeyName, "admin");
        } catch (IOException e) {
            failed = true;
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            failed = true;
            close();
            throw e;
        }
    }

    private void checkPrerequisites() {
        for (Path jar : List.of(octodJar(), octoJar())) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " does not exist: build first (mvn -DskipTests package at the repo root)");
            }
        }
        if (!Docker.imageExists(BASE_IMAGE)) {
            throw new IllegalStateException("docker image " + BASE_IMAGE + " is missing: run scripts/test, which builds it"
                    + " (scripts/lib.sh ensure_base_image)");
        }
    }

    private Process startOctodProcess() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(octodCommand)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().putAll(options.env);
        return pb.start();
    }

    private void awaitReady() {
        awaitReady(0);
    }

    /** Waits for "octod ready" in the log after byte offset {@code from}. */
    private void awaitReady(long from) {
        Process process = octod;
        String log = Await.until("octod prints 'octod ready' (log: " + logFile + ")", START_TIMEOUT,
                () -> logSince(from), text -> text.contains("octod ready") || !process.isAlive());
        if (!log.contains("octod ready")) {
            throw new IllegalStateException("octod exited with " + process.exitValue() + " before it was ready. Output:\n" + log);
        }
    }

    private String logSince(long from) {
        try {
            byte[] all = Files.readAllBytes(logFile);
            return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path copyTemplates() throws IOException {
        Path source = root.resolve("templates/nginx");
        if (!Files.isRegularFile(source.resolve("containers.conf.ftl"))) {
            throw new IllegalStateException(source.resolve("containers.conf.ftl") + " does not exist");
        }
        Path target = base.resolve("templates");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        options.templates.customize(target);
        return target;
    }

    /** Stops octod, removes its containers and images (by its instance label), stops nginx, deletes temp files. */
    @Override
    public void close() {
        if (octod != null) {
            octod.destroy();
            try {
                if (!octod.waitFor(15, TimeUnit.SECONDS)) {
                    Proc.destroyTree(octod);
                    octod.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            octod = null;
        }
        if (consulAgent != null) {
            consulAgent.close();
            consulAgent = null;
        }
        try {
            if (instanceId != null) {
                removeLeftovers(instanceId);
                forgetInstance(instanceId);
            }
        } finally {
            // nginx goes even when Docker does not answer
            if (nginx != null) {
                nginx.close();
                nginx = null;
            }
        }
        if (base != null) {
            if (failed) System.err.println("octohost e2e: kept " + base + " for inspection");
            else deleteTree(base);
        }
    }

    /**
     * {@code kill -9} octod (SIGKILL: no shutdown hook, no cleanup), as a crash or an OOM kill would.
     * The data dir, nginx, the ports and the app containers stay as they are.
     */
    public void kill9() {
        if (octod == null) throw new IllegalStateException("octod is not running");
        octod.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!octod.waitFor(15, TimeUnit.SECONDS)) throw new IllegalStateException("octod survived SIGKILL for 15 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        appendToLog("\n==== e2e: octod killed with SIGKILL (exit " + octod.exitValue() + ") ====\n");
        octod = null;
    }

    /**
     * Starts octod again after {@link #kill9()} (or after it exited), with the same command line,
     * environment, data dir, ports and nginx, and waits for its new "octod ready". Its output is
     * appended to the same log.
     */
    public void restartOctod() {
        if (octod != null && octod.isAlive()) throw new IllegalStateException("octod is still running: kill9() it first");
        try {
            long from = Files.size(logFile);
            appendToLog("$ (restart) " + String.join(" ", octodCommand) + "\n");
            octod = startOctodProcess();
            awaitReady(from);
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException(e);
        }
    }

    private void appendToLog(String text) {
        try {
            Files.writeString(logFile, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- instances.txt

    /** Guards instances.txt against two fixtures of this JVM (a class may run a second octod). */
    private static final Object INSTANCES_LOCK = new Object();

    /**
     * instances.txt: a line "INSTANCE_ID PID" for each fixture started and not yet closed, PID being
     * the JVM that started it. A line whose JVM is gone is a crashed run's.
     */
    private Path instancesFile() {
        return e2eDir().resolve("instances.txt");
    }

    /** {@code src/test/target/e2e}, or {@code e2e} under the system property {@code octohost.e2e.target}. */
    private Path e2eDir() {
        return Path.of(System.getProperty("octohost.e2e.target", root.resolve("src/test/target").toString())).resolve("e2e");
    }

    private void registerInstance(String id) throws IOException {
        synchronized (INSTANCES_LOCK) {
            Files.writeString(instancesFile(), id + " " + ProcessHandle.current().pid() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /**
     * Removes the containers and images of instances that a crashed earlier run could not clean up: those
     * whose JVM is gone. Fixtures still running (in this JVM or another run's) keep theirs.
     */
    private void removeStaleInstances() throws IOException {
        synchronized (INSTANCES_LOCK) {
            Path registry = instancesFile();
            if (!Files.exists(registry)) return;
            List<String> alive = new ArrayList<>();
            for (String line : Files.readAllLines(registry)) {
                String[] idAndPid = line.strip().split("\\s+");
                if (idAndPid[0].isEmpty()) continue;
                if (idAndPid.length == 2 && jvmAlive(idAndPid[1])) {
                    alive.add(line);
                } else {
                    removeLeftovers(idAndPid[0]);
                }
            }
            Files.write(registry, alive);
        }
    }

    /** The services, containers and images an instance made. */
    private static void removeLeftovers(String instance) {
        // Swarm services first (--runner swarm): else Swarm would start their removed task containers again
        Docker.removeServices(Docker.services("octohost.instance=" + instance));
        Docker.removeContainers(Docker.containers("octohost.instance=" + instance));
        Docker.removeImages("octohost.instance=" + instance);
    }

    private static boolean jvmAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void forgetInstance(String id) {
        synchronized (INSTANCES_LOCK) {
            Path registry = instancesFile();
            try {
                if (!Files.exists(registry)) return;
                Files.write(registry, Files.readAllLines(registry).stream().filter(l -> !l.strip().split("\\s+")[0].equals(id)).toList());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    // ---------------------------------------------------------------- keys and the octo CLI

    /** Generates a key pair (not known to octod). */
    public SshKey newKey(String keyName) {
        Path priv = keysDir.resolve(keyName);
        Proc.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", keyName + "@e2e", "-f", priv.toString())
                .timeout(Duration.ofSeconds(30)).run().orFail();
        return new SshKey(keyName, priv, keysDir.resolve(keyName + ".pub"));
    }

    /** Generates a key pair and adds it with {@code octo keys:add NAME --role ROLE [--app APP]... < key.pub}. */
    public SshKey addKey(String keyName, String role, String... apps) {
        SshKey key = newKey(keyName);
        List<String> args = new ArrayList<>(List.of("keys:add", keyName, "--role", role));
        for (String app : apps) args.addAll(List.of("--app", app));
        Proc.Result r = octo(key.publicKey(), args.toArray(String[]::new));
        if (!r.ok()) throw new AssertionError("octo keys:add failed:\n" + r.describe());
        return key;
    }

    /** Runs {@code java -jar octo.jar --api-socket S ARGS...} with stdin from a file (or /dev/null if null). */
    public Proc.Result octo(Path stdin, String... args) {
        Proc p = octoCommand(args).timeout(Duration.ofSeconds(60));
        if (stdin != null) p.stdin(stdin);
        return p.run();
    }

    /** {@code octo releases APP --json}: the app's releases, newest first (release, current, commit, rollback, description...). */
    public List<com.fasterxml.jackson.databind.JsonNode> releases(String app) {
        Proc.Result r = octo(null, "releases", app, "--json").orFail();
        return Json.elements(Json.parse(r.output()));
    }

    private Proc octoCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", octoJar().toString(), "--api-socket", apiSocket.toString()));
        cmd.addAll(List.of(args));
        return Proc.of(cmd);
    }

    /** {@code octo ARGS...} as {@link #octo}, left running, its output read as it comes. */
    public Streaming startOcto(String... args) {
        return Streaming.start(octoCommand(args));
    }

    public SshKey adminKey() {
        return adminKey;
    }

    // ---------------------------------------------------------------- apps, git, ssh

    /**
     * A work tree for {@code app} with a static site serving {@code page}, pushed to master; asserts that
     * the push was accepted and the page served when it returned. The tree is there to push again.
     */
    public AppRepo deployed(String app, String page) {
        AppRepo repo = app(app);
        repo.staticSite(page).deploy("master", page);
        return repo;
    }

    /** A fresh work tree (git init -b master) that pushes to {@code ssh://git@127.0.0.1:PORT/<remotePath>} with the admin key. */
    public AppRepo app(String remotePath) {
        String safe = remotePath.replaceAll("[^A-Za-z0-9-]", "_");
        Path dir = base.resolve("work").resolve(workTrees.incrementAndGet() + "-" + safe);
        return AppRepo.init(this, remotePath, dir, adminKey);
    }

    /** The push URL of a repo path. */
    public String url(String remotePath) {
        return "ssh://git@127.0.0.1:" + sshPort + "/" + remotePath;
    }

    /** The options every ssh call uses (no port, no destination). */
    public List<String> sshOptions(SshKey key) {
        return List.of("-i", key.privateKey().toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes",
                "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10");
    }

    /** The environment git runs with: a fixed author, no user or system config, ssh with this key. */
    Map<String, String> gitEnv(SshKey key) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GIT_AUTHOR_NAME", "octohost e2e");
        env.put("GIT_AUTHOR_EMAIL", "e2e@octohost.test");
        env.put("GIT_COMMITTER_NAME", "octohost e2e");
        env.put("GIT_COMMITTER_EMAIL", "e2e@octohost.test");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_SSH_COMMAND", "ssh " + String.join(" ", sshOptions(key)));
        return env;
    }

    /** {@code ssh OPTIONS -p PORT ARGS...} (ARGS include the destination, e.g. git@127.0.0.1), stdin /dev/null. */
    public Proc.Result ssh(SshKey key, Duration timeout, String... args) {
        return Proc.of(sshCommand(key, args)).timeout(timeout).run();
    }

    public List<String> sshCommand(SshKey key, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ssh");
        cmd.addAll(sshOptions(key));
        cmd.addAll(List.of("-p", String.valueOf(sshPort)));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Remembers a push's outcome, to show the last one when a test fails. */
    void recordPush(PushResult result) {
        synchronized (pushes) {
            pushes.add(result);
        }
    }

    // ---------------------------------------------------------------- what is served

    /** The Host header of an app: {@code APP.test.octohost}. */
    public String host(String app) {
        return app + "." + DOMAIN;
    }

    /** GET / through nginx with {@code Host: APP.test.octohost}. */
    public Http.Response get(String app) {
        return get(app, "/");
    }

    public Http.Response get(String app, String path) {
        return Http.get(httpPort, host(app), path);
    }

    /** The body nginx serves for the app's path, which must answer 200. */
    public String served(String app, String path) {
        Http.Response r = get(app, path);
        org.junit.jupiter.api.Assertions.assertEquals(200, r.status(), () -> app + path + ": " + r);
        return r.bodyText();
    }

    public String served(String app) {
        return served(app, "/");
    }

    /** Ids of this octod's containers (running or not) of an app: labels octohost.app and octohost.instance. */
    public List<String> containers(String app) {
        return Docker.containers("octohost.app=" + app, "octohost.instance=" + instanceId);
    }

    /**
     * Ids of this octod's containers of an app that run no release: a docker build's own (RUN steps
     * after the FROM of an app's last stage carry the app's labels, and no release label).
     */
    public List<String> buildContainers(String app) {
        Proc.Result r = Proc.of("docker", "ps", "-a", "--no-trunc", "--filter", "label=octohost.app=" + app,
                "--filter", "label=octohost.instance=" + instanceId, "--format", "{{.ID}} {{.Label \"octohost.release\"}}")
                .timeout(Duration.ofSeconds(60)).run().orFail();
        return Docker.lines(r.output()).stream().filter(l -> !l.contains(" ")).toList();
    }

    /** Ids of this octod's images of an app: labels octohost.app and octohost.instance. */
    public Set<String> images(String app) {
        return new TreeSet<>(Docker.images("octohost.app=" + app, "octohost.instance=" + instanceId));
    }

    /** Ids of every image of this octod (label octohost.instance). */
    public Set<String> images() {
        return new TreeSet<>(Docker.images("octohost.instance=" + instanceId));
    }

    /** The single container of an app; fails unless there is exactly one. */
    public String onlyContainer(String app) {
        List<String> ids = containers(app);
        if (ids.size() != 1) throw new AssertionError("expected exactly one container of " + app + ", found " + ids);
        return ids.get(0);
    }

    /**
     * Waits (up to 30 s) until the app has exactly {@code count} containers, and returns them; fails
     * with the last list otherwise. For removals only: octod may stop and remove replaced or failed
     * containers after the push returned ({@code docker stop} waits up to 10 s for a process that
     * ignores SIGTERM, such as busybox httpd as PID 1). What is served is never polled for.
     */
    public List<String> awaitContainers(String app, int count) {
        return Await.until(count + " container(s) of " + app, CONTAINER_REMOVAL_TIMEOUT, () -> containers(app),
                ids -> ids.size() == count);
    }

    /** {@link #awaitContainers(String, int)} for exactly one container; returns its id. */
    public String awaitOnlyContainer(String app) {
        return awaitContainers(app, 1).get(0);
    }

    /** The current content of the rendered nginx file (--nginx-conf). */
    public String routes() {
        try {
            return Files.readString(nginx.includeFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file and directory under the data dir, relative, sorted (directories end with '/'). */
    public Set<String> dataDirListing() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.filter(p -> !p.equals(dataDir))
                    .forEach(p -> out.add(dataDir.relativize(p) + (Files.isDirectory(p) ? "/" : "")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public String octodLogTail(int lines) {
        return logFile == null ? "(no log)" : tail(logFile, lines);
    }

    // ---------------------------------------------------------------- accessors

    public Path root() {
        return root;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path apiSocket() {
        return apiSocket;
    }

    public Path nginxConf() {
        return nginx.includeFile();
    }

    public Nginx nginx() {
        return nginx;
    }

    public int sshPort() {
        return sshPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The port of octod's HTTP API (on 127.0.0.1). */
    public int httpApiPort() {
        return httpApiPort;
    }

    public String instanceId() {
        return instanceId;
    }

    public Path octodLog() {
        return logFile;
    }

    public Process octodProcess() {
        return octod;
    }

    /** {@code <root>/octod/target/octod.jar}, or the system property {@code octohost.octod.jar}. */
    public Path octodJar() {
        return Path.of(System.getProperty("octohost.octod.jar", root.resolve("octod/target/octod.jar").toString()));
    }

    /** {@code <root>/octo-cli/target/octo.jar}, or the system property {@code octohost.octo.jar}. */
    public Path octoJar() {
        return Path.of(System.getProperty("octohost.octo.jar", root.resolve("octo-cli/target/octo.jar").toString()));
    }

    // ---------------------------------------------------------------- helpers

    /** Settings whose values must not reach a log, even a test's. */
    private static boolean secret(String name) {
        return name.contains("PASSWORD") || name.contains("TOKEN");
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Ports handed out in this JVM: the kernel may offer a port again once its socket closed. */
    private static final Set<Integer> PORTS_GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A free loopback port, never one this JVM handed out before (several are chosen before any is bound). */
    public static int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (PORTS_GIVEN.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            try {
                String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
            } catch (IOException e2) {
                return "(cannot read " + file + ": " + e2 + ")";
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
