package io.octohost.e2e.packaging;

import io.octohost.e2e.Await;
import io.octohost.e2e.Http;
import io.octohost.e2e.Docker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Debian package (packaging/deb/target/octohost_VERSION_all.deb) on this machine, for real:
 * lintian, dpkg -i, the installed octod run as the service user pushing an app end to end,
 * systemd-analyze on the units, an upgrade, dpkg -r and dpkg -P. These are the steps of one
 * package's life on one machine (installed, run, upgraded, removed), so they run in that order.
 *
 * <p>Needs root, dpkg and apt (it installs lintian and default-jre-headless when missing). It
 * installs the package system-wide and purges it at the end. A /var/lib/octod that is not the
 * package's (e.g. scripts/run's octod, run as root) is moved aside for the test and put back.
 * octod runs with its own ports, socket and a private nginx master that also runs as the
 * service user, so the machine's nginx and other octods are left alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("docker")
@Tag("packaging")
class DebianPackageTest {
    private static final String PKG = "octohost";
    private static final String USER = "octohost";
    private static final Path DATA = Path.of("/var/lib/octod");
    private static final Path DATA_MOVED_ASIDE = Path.of("/var/lib/octod.moved-by-packaging-e2e");
    /** Present while the installed octohost package is this test's: a crashed run is cleaned up by the next. */
    private static final Path MARKER = Path.of("/var/lib/octohost-packaging-e2e.installed");
    /** Held for the whole class: two runs of this test on one machine (two checkouts) take turns. */
    private static final Path LOCK = Path.of("/var/lib/octohost-packaging-e2e.lock");
    private static final Path DEFAULTS = Path.of("/etc/default/octod");
    private static final Path ROUTES_DIR = Path.of("/etc/nginx/octohost");
    private static final Path NGINX_INCLUDE = Path.of("/etc/nginx/conf.d/octohost.conf");
    private static final Path UNIT_DIR = Path.of("/usr/lib/systemd/system");
    private static final List<String> UNITS = List.of("octod.service", "octohost-nginx.path", "octohost-nginx.service");
    private static final String DOMAIN = "pkg.octohost";
    private static final String BASE_IMAGE = "octohost/busybox:latest";
    private static final String PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Path root;
    private Path logDir;
    private Path transcript;
    private Path work;
    private Path deb;
    private String version;
    private final String app = "pkg-e2e-" + Long.toString(Math.abs(new Random().nextLong()), 36).substring(0, 6);
    private final String nonce = Long.toHexString(System.nanoTime());
    private int sshPort;
    private int httpPort;
    private Path nginxPrefix;
    private Path apiSocket;
    private Path key;
    private Process octod;
    private Path octodLog;
    private boolean installed;
    private boolean served;
    private String instanceId;
    private String keysListed;
    private final Map<String, Long> timings = new LinkedHashMap<>();
    private FileChannel lockChannel;
    private FileLock lock;

    // ------------------------------------------------------------------ set up and clean up

    @BeforeAll
    void setUp() throws IOException {
        long t0 = System.nanoTime();
        root = Path.of(System.getProperty("octohost.root", ".")).toAbsolutePath().normalize();
        Path target = Path.of(System.getProperty("octohost.e2e.target", root.resolve("src/test/target").toString()));
        logDir = Files.createDirectories(target.resolve("e2e").resolve(getClass().getSimpleName()));
        transcript = logDir.resolve("transcript.txt");
        Files.writeString(transcript, "");
        assertEquals("0", sh("id -u").trimmed(), "the packaging test installs a .deb: it must run as root");
        takeTheLock();
        assertTrue(Cmd.of("docker", "image", "inspect", BASE_IMAGE).run().ok(),
                BASE_IMAGE + " is missing: run scripts/test (scripts/lib.sh ensure_base_image)");

        cleanUpEarlierRun();
        ensurePackages("lintian", "default-jre-headless", "systemd", "nginx", "docker.io", "adduser", "git",
                "openssh-client", "curl");
        deb = packageFile();
        version = run("dpkg-deb", "-f", deb.toString(), "Version").orFail().trimmed();

        work = Files.createTempDirectory("octohost-pkg-e2e-");
        // the service user reaches its socket and nginx prefix in here
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        sshPort = io.octohost.e2e.Octohost.freePort();
        httpPort = io.octohost.e2e.Octohost.freePort();
        timings.put("set up (apt, build check)", ms(t0));
    }

    @AfterAll
    void tearDown() {
        stopOctod();
        stopNginx();
        if (instanceId != null) {
            List<String> ids = lines(run("docker", "ps", "-aq", "--filter", "label=octohost.instance=" + instanceId).output());
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f"));
                rm.addAll(ids);
                run(rm);
            }
        }
        if (Files.exists(MARKER)) {
            run("dpkg", "--purge", PKG);
            try {
                Files.deleteIfExists(MARKER);
            } catch (IOException ignored) {
                // best effort
            }
        }
        restoreMovedAside();
        if (instanceId != null) Docker.removeImages("octohost.app=" + app, "octohost.instance=" + instanceId);
        if (work != null) run("rm", "-rf", work.toString());
        System.out.println("DebianPackageTest timings (ms): " + timings);
        try {
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }

    private void takeTheLock() throws IOException {
        lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = Await.until("no other run of DebianPackageTest holds " + LOCK, Duration.ofMinutes(4), () -> {
            try {
                return lockChannel.tryLock();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, java.util.Objects::nonNull);
    }

    /** A crash may leave the package installed, or the data of another octod moved aside. */
    private void cleanUpEarlierRun() throws IOException {
        if (packageStatus().contains("ok")) {
            if (!Files.exists(MARKER)) {
                fail("the octohost package is installed on this machine (not by this test); the test installs and purges "
                        + "it: remove it first (dpkg -P octohost)");
            }
            log("purging the octohost package left by an earlier run of this test");
            run("dpkg", "--purge", PKG).orFail();
        }
        Files.deleteIfExists(MARKER);
        restoreMovedAside();
    }

    private void restoreMovedAside() {
        if (Files.exists(DATA_MOVED_ASIDE) && !Files.exists(DATA)) {
            run("mv", DATA_MOVED_ASIDE.toString(), DATA.toString());
            log("put " + DATA + " back");
        }
    }

    // ------------------------------------------------------------------ 1. lintian

    @Test
    @Order(1)
    void lintianFindsNoErrors() throws IOException {
        long t0 = System.nanoTime();
        Result r = Cmd.of("lintian", "--no-override", "--display-info", "--pedantic", deb.toString())
                .timeout(Duration.ofMinutes(3)).run();
        record(r);
        Files.writeString(logDir.resolve("lintian.txt"), r.output());
        System.out.println("lintian --no-override --display-info --pedantic " + deb.getFileName() + ":\n" + r.output());
        List<String> errors = lines(r.output()).stream().filter(l -> l.startsWith("E:")).toList();
        assertTrue(errors.isEmpty(), "lintian reports errors:\n" + String.join("\n", errors));
        assertFalse(r.timedOut(), "lintian timed out");
        timings.put("lintian", ms(t0));
    }

    // ------------------------------------------------------------------ 2. dpkg -i

    @Test
    @Order(2)
    void installsWithoutSystemd() throws IOException {
        long t0 = System.nanoTime();
        if (Files.exists(DATA)) {
            // not the package's (it is not installed): e.g. scripts/run's octod, run as root
            run("mv", DATA.toString(), DATA_MOVED_ASIDE.toString()).orFail();
            log("moved " + DATA + " (not the package's) aside to " + DATA_MOVED_ASIDE + "; it is put back at the end");
        }
        Files.writeString(MARKER, deb + "\n");
        Result r = dpkg("-i", deb.toString());
        installed = r.ok();
        assertTrue(r.ok(), "dpkg -i failed:\n" + r.describe());
        assertEquals("install ok installed", packageStatus());
        timings.put("dpkg -i", ms(t0));

        // the user: a system user, no login, home = data dir, in group docker
        String[] pw = run("getent", "passwd", USER).orFail().trimmed().split(":");
        assertTrue(Integer.parseInt(pw[2]) < 1000, "not a system user: " + String.join(":", pw));
        assertEquals(DATA.toString(), pw[5]);
        assertEquals("/usr/sbin/nologin", pw[6]);
        assertTrue(run("getent", "group", USER).ok(), "no group " + USER);
        if (run("getent", "group", "docker").ok()) {
            assertTrue(Arrays.asList(run("id", "-nG", USER).orFail().trimmed().split(" ")).contains("docker"),
                    USER + " is not in group docker");
            // dockerd's socket belongs to group docker, so the user reaches the engine
            assertEquals("docker", run("stat", "-L", "-c", "%G", "/var/run/docker.sock").orFail().trimmed(),
                    "/var/run/docker.sock does not belong to group docker");
            Result ping = run(asServiceUser("curl", "-sS", "--unix-socket", "/var/run/docker.sock", "http://docker/_ping"));
            assertEquals("OK", ping.trimmed(), "the service user cannot reach dockerd:\n" + ping.describe());
        }

        // the directories the maintainer scripts make
        assertOwnerAndMode(DATA, USER, "rwx------"); // octod keeps it 0700: config values live there
        assertOwnerAndMode(DATA.resolve("nginx-check"), USER, "rwxr-x---");
        assertOwnerAndMode(ROUTES_DIR, USER, "rwxr-xr-x");
        assertTrue(Files.isRegularFile(ROUTES_DIR.resolve("containers.conf")));

        // the files
        for (String f : List.of("/usr/bin/octod", "/usr/bin/octo", "/usr/lib/octohost/nginx-reload")) {
            assertTrue(Files.isExecutable(Path.of(f)), f + " is not executable");
        }
        for (String f : List.of("/usr/share/octohost/octod.jar", "/usr/share/octohost/octo.jar",
                "/usr/share/octohost/nginx-check.conf", "/usr/share/octohost/templates/nginx/containers.conf.ftl",
                "/usr/share/octohost/templates/nginx/app.ftl", "/usr/share/doc/octohost/copyright",
                "/usr/share/doc/octohost/changelog.gz", "/usr/share/man/man1/octo.1.gz", "/usr/share/man/man8/octod.8.gz")) {
            assertTrue(Files.isRegularFile(Path.of(f)), f + " is missing");
        }
        for (String unit : UNITS) assertTrue(Files.isRegularFile(UNIT_DIR.resolve(unit)), unit + " is missing");

        // the conffiles, /etc/default/octod readable by root and the service user only
        String conffiles = run("dpkg-query", "-W", "-f=${Conffiles}", PKG).orFail().output();
        assertTrue(conffiles.contains(DEFAULTS + " "), "not a conffile: " + DEFAULTS + "\n" + conffiles);
        assertTrue(conffiles.contains(NGINX_INCLUDE + " "), "not a conffile: " + NGINX_INCLUDE + "\n" + conffiles);
        assertEquals("root " + USER + " 640", run("stat", "-c", "%U %G %a", DEFAULTS.toString()).orFail().trimmed());
        String defaults = Files.readString(DEFAULTS);
        for (String setting : settingsInSource()) {
            assertTrue(Pattern.compile("(?m)^#?" + setting + "=").matcher(defaults).find(),
                    DEFAULTS + " does not list " + setting + ", which octod's Settings.java reads: add it, commented, with"
                            + " its default, to packaging/deb/src/deb/etc/default/octod");
        }

        // enabled for systemd (the links are made without systemd running), not started
        for (String unit : List.of("octod.service", "octohost-nginx.path")) {
            assertTrue(Files.isSymbolicLink(Path.of("/etc/systemd/system/multi-user.target.wants", unit)), unit + " is not enabled");
        }
        // the machine's nginx still accepts its configuration, now including the routes file
        Result t = run("nginx", "-t");
        assertTrue(t.ok(), "nginx -t fails with the package installed:\n" + t.describe());
    }

    // ------------------------------------------------------------------ 3. systemd-analyze

    @Test
    @Order(3)
    void unitsPassSystemdAnalyze() throws IOException {
        assumeTrue(installed, "not installed");
        long t0 = System.nanoTime();
        List<String> verify = new ArrayList<>(List.of("systemd-analyze", "verify"));
        UNITS.forEach(u -> verify.add(UNIT_DIR.resolve(u).toString()));
        Result r = run(verify);
        System.out.println("systemd-analyze verify: exit " + r.exitCode() + (r.trimmed().isEmpty() ? ", no output" : ":\n" + r.output()));
        assertEquals(0, r.exitCode(), r.describe());
        List<String> complaints = lines(r.output()).stream()
                .filter(l -> UNITS.stream().anyMatch(l::contains) || l.toLowerCase(java.util.Locale.ROOT).contains("error")).toList();
        assertTrue(complaints.isEmpty(), "systemd-analyze verify complains:\n" + r.output());

        Result security = run("systemd-analyze", "security", "--offline=true", UNIT_DIR.resolve("octod.service").toString());
        Files.writeString(logDir.resolve("systemd-analyze-security.txt"), security.output());
        Matcher m = Pattern.compile("Overall exposure level for octod\\.service: ([0-9.]+) (\\S+)").matcher(security.output());
        assertTrue(m.find(), "no exposure level in:\n" + security.describe());
        System.out.println("systemd-analyze security octod.service: " + m.group(1) + " " + m.group(2));
        assertTrue(Double.parseDouble(m.group(1)) <= 4.0, "octod.service exposure above 4.0:\n" + security.output());
        timings.put("systemd-analyze", ms(t0));
    }

    // ------------------------------------------------------------------ 4. run it as the service user

    @Test
    @Order(4)
    void installedOctodRunsAsTheServiceUserAndServesAPushedApp() throws IOException {
        assumeTrue(installed, "not installed");
        long t0 = System.nanoTime();
        // The operator's change to the conffile (it must survive the upgrade): where the API
        // socket is. Both launchers read it: octod started by hand, and octo without flags.
        Path runDir = Files.createDirectories(work.resolve("run"));
        chownToServiceUser(runDir);
        apiSocket = runDir.resolve("api.sock");
        Files.writeString(DEFAULTS, "\n# changed by DebianPackageTest " + nonce + "\nOCTOD_API_SOCKET=" + apiSocket + "\n",
                StandardOpenOption.APPEND);

        startNginxAsServiceUser();
        startOctod();
        timings.put("octod ready", ms(t0));
        instanceId = Files.readString(DATA.resolve("instance-id")).strip();

        // the first key, the documented way (cat key.pub | ssh root@HOST octo keys:add NAME) minus the ssh
        Path keys = Files.createDirectories(work.resolve("keys"));
        key = keys.resolve("admin");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pkg-e2e-admin", "-f", key.toString()).orFail();
        Result add = octo(Path.of(key + ".pub"), "keys:add", "pkg-admin", "--role", "admin");
        assertTrue(add.ok(), "octo keys:add failed:\n" + add.describe());
        Result list = octo(null, "keys:list");
        assertTrue(list.ok() && list.output().contains("pkg-admin"), list.describe());
        keysListed = list.output();

        // git push over SSH, built by Docker, served by nginx
        Path tree = Files.createDirectories(work.resolve("app"));
        Files.writeString(tree.resolve("Dockerfile"), String.join("\n", "FROM " + BASE_IMAGE, "COPY index.html /www/",
                "EXPOSE 80", "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]", ""));
        Files.writeString(tree.resolve("index.html"), expectedBody());
        git(tree, "init", "-q", "-b", "master").orFail();
        git(tree, "add", "-A").orFail();
        git(tree, "commit", "-q", "-m", "packaged octohost e2e").orFail();
        long tp = System.nanoTime();
        Result push = git(tree, "push", "ssh://git@127.0.0.1:" + sshPort + "/" + app, "master");
        timings.put("git push", ms(tp));
        assertTrue(push.ok(), "git push failed:\n" + push.describe() + "\noctod log:\n" + tail(octodLog, 40));
        assertServed();
        served = true;

        // everything octod wrote belongs to the service user
        try (Stream<Path> files = Files.walk(DATA)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
                assertEquals(USER, owner, p + " belongs to " + owner);
            }
        }
        assertTrue(Files.isDirectory(DATA.resolve("repos")), "no repos/ in " + DATA);
        installedNginxCheckAcceptsTheRoutesOnPort80();
        timings.put("run as service user, total", ms(t0));
    }

    /**
     * The check octod.service makes: the shipped OCTOD_NGINX_CMD -t, as the service user with the unit's
     * capabilities, on routes that listen on port 80. nginx -t binds the ports it finds, so without
     * CAP_NET_BIND_SERVICE it fails there ("bind() to 0.0.0.0:80 failed (13: Permission denied)").
     */
    private void installedNginxCheckAcceptsTheRoutesOnPort80() throws IOException {
        String rendered = Files.readString(nginxPrefix.resolve("containers.conf"));
        assertTrue(rendered.contains("listen " + httpPort + ";"), "unexpected rendered file:\n" + rendered);
        String command = sh(". " + DEFAULTS + " && printf %s \"$OCTOD_NGINX_CMD\"").orFail().output();
        assertTrue(command.contains("/usr/share/octohost/nginx-check.conf"), "OCTOD_NGINX_CMD: " + command);
        List<String> caps = new ArrayList<>();
        for (String line : Files.readAllLines(UNIT_DIR.resolve("octod.service"))) {
            if (line.startsWith("AmbientCapabilities=")) {
                for (String c : line.substring(line.indexOf('=') + 1).trim().split("\\s+")) {
                    if (!c.isEmpty()) caps.add(c.toLowerCase(java.util.Locale.ROOT).replaceFirst("^cap_", ""));
                }
            }
        }
        Path routes = ROUTES_DIR.resolve("containers.conf");
        String before = Files.readString(routes);
        try {
            Files.writeString(routes, rendered.replace("listen " + httpPort + ";", "listen 80;"));
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups"));
            if (!caps.isEmpty()) {
                String plus = "+" + String.join(",+", caps);
                cmd.addAll(List.of("--inh-caps=" + plus, "--ambient-caps=" + plus, "--bounding-set=-all," + plus));
            }
            cmd.addAll(List.of("--", "sh", "-c", command + " -t"));
            Result withUnitCaps = run(cmd);
            Result withoutCaps = run(asServiceUser("sh", "-c", command + " -t"));
            System.out.println("installed nginx -t of routes on port 80 as " + USER + ": with the unit's capabilities "
                    + caps + " exit " + withUnitCaps.exitCode() + "; without them exit " + withoutCaps.exitCode());
            assertTrue(withUnitCaps.ok(), "octod's nginx -t, as octod.service runs it, refuses routes on port 80:\n"
                    + withUnitCaps.describe() + "\n(without capabilities:\n" + withoutCaps.describe() + ")");
        } finally {
            Files.writeString(routes, before);
        }
    }

    // ------------------------------------------------------------------ 5. upgrade

    @Test
    @Order(5)
    void upgradeKeepsAppsKeysAndSettings() throws IOException {
        assumeTrue(installed && served, "no app was served before the upgrade");
        long t0 = System.nanoTime();
        stopOctod();
        String newVersion = version + "+e2e1";
        Path newer = repackWithVersion(newVersion);
        Map<String, String> dataBefore = dataFiles();
        String defaultsBefore = Files.readString(DEFAULTS);
        String uidBefore = run("id", "-u", USER).orFail().trimmed();

        Result r = dpkg("-i", newer.toString());
        assertTrue(r.ok(), "upgrade failed:\n" + r.describe());
        assertEquals(newVersion, run("dpkg-query", "-W", "-f=${Version}", PKG).orFail().trimmed());
        assertEquals(defaultsBefore, Files.readString(DEFAULTS), "the upgrade changed the edited " + DEFAULTS);
        try (Stream<Path> etc = Files.list(DEFAULTS.getParent())) {
            assertEquals(List.of(), etc.filter(p -> p.getFileName().toString().startsWith("octod.dpkg")).toList());
        }
        assertEquals(uidBefore, run("id", "-u", USER).orFail().trimmed());
        assertEquals(dataBefore, dataFiles(), "the upgrade changed " + DATA);
        timings.put("dpkg -i (upgrade)", ms(t0));

        // the service is started again (systemd would restart it): same keys, the app still served
        startOctod();
        Result list = octo(null, "keys:list");
        assertTrue(list.ok(), list.describe());
        assertEquals(keysListed, list.output(), "keys changed over the upgrade");
        assertServed();
        stopOctod();
        timings.put("upgrade, total", ms(t0));
    }

    // ------------------------------------------------------------------ 6. remove, purge

    @Test
    @Order(6)
    void removeKeepsTheDataAndPurgeDeletesItAndTheUser() throws IOException {
        assumeTrue(installed, "not installed");
        long t0 = System.nanoTime();
        stopOctod();
        stopNginx();
        Map<String, String> dataBefore = dataFiles();

        Result r = dpkg("-r", PKG);
        assertTrue(r.ok(), "dpkg -r failed:\n" + r.describe());
        assertEquals("deinstall ok config-files", packageStatus());
        assertEquals(dataBefore, dataFiles(), "dpkg -r changed " + DATA);
        assertTrue(run("getent", "passwd", USER).ok(), "dpkg -r removed the user");
        assertFalse(Files.exists(Path.of("/usr/bin/octod")), "/usr/bin/octod is still there");
        assertTrue(Files.exists(DEFAULTS), "dpkg -r removed the conffile " + DEFAULTS);
        assertTrue(run("nginx", "-t").ok(), "nginx -t fails after dpkg -r");

        r = dpkg("-P", PKG);
        assertTrue(r.ok(), "dpkg -P failed:\n" + r.describe());
        installed = false;
        assertFalse(packageStatus().contains("ok"), "still known to dpkg: " + packageStatus());
        assertFalse(Files.exists(DATA), DATA + " is still there");
        assertFalse(run("getent", "passwd", USER).ok(), "the user is still there");
        assertFalse(run("getent", "group", USER).ok(), "the group is still there");
        for (Path p : List.of(DEFAULTS, ROUTES_DIR, NGINX_INCLUDE,
                Path.of("/etc/systemd/system/multi-user.target.wants/octod.service"),
                Path.of("/etc/systemd/system/multi-user.target.wants/octohost-nginx.path"))) {
            assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " is still there");
        }
        assertFalse(run("dpkg-statoverride", "--list", DEFAULTS.toString()).ok(), "the statoverride is still there");
        if (instanceId != null) {
            assertEquals(List.of(), lines(run("docker", "ps", "-aq", "--filter", "label=octohost.instance=" + instanceId).output()),
                    "the app's containers are still there");
        }
        assertTrue(run("nginx", "-t").ok(), "nginx -t fails after dpkg -P");
        Files.deleteIfExists(MARKER);
        timings.put("dpkg -r, dpkg -P", ms(t0));
    }

    // ------------------------------------------------------------------ octod and nginx as the service user

    /** A private nginx master run by the service user on a high port, so octod (same user) may reload it. */
    private void startNginxAsServiceUser() throws IOException {
        nginxPrefix = Files.createDirectories(work.resolve("nginx"));
        Files.createDirectories(nginxPrefix.resolve("tmp"));
        Files.writeString(nginxPrefix.resolve("containers.conf"), "");
        String x = nginxPrefix.toString();
        Files.writeString(nginxPrefix.resolve("nginx.conf"), String.join("\n",
                "worker_processes 1;",
                "pid " + x + "/nginx.pid;",
                "error_log " + x + "/error.log;",
                "events {}",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + x + "/tmp/body;",
                "  proxy_temp_path " + x + "/tmp/proxy;",
                "  fastcgi_temp_path " + x + "/tmp/fastcgi;",
                "  uwsgi_temp_path " + x + "/tmp/uwsgi;",
                "  scgi_temp_path " + x + "/tmp/scgi;",
                "  include " + x + "/containers.conf;",
                "}", ""));
        run("chown", "-R", USER + ":" + USER, x).orFail();
        run(asServiceUser(nginxCommand().split(" "))).orFail();
    }

    private String nginxCommand() {
        String x = nginxPrefix.toString();
        return "nginx -c " + x + "/nginx.conf -p " + x + "/ -e " + x + "/error.log";
    }

    private void stopNginx() {
        if (nginxPrefix == null) return;
        List<String> stop = new ArrayList<>(Arrays.asList(nginxCommand().split(" ")));
        stop.addAll(List.of("-s", "stop"));
        run(asServiceUser(stop.toArray(String[]::new)));
        nginxPrefix = null;
    }

    /**
     * /usr/bin/octod as the service user with a clean environment: the launcher reads
     * /etc/default/octod; the variables given here (ports, the private nginx) win over it.
     */
    private void startOctod() throws IOException {
        octodLog = logDir.resolve("octod.log");
        List<String> cmd = asServiceUser("env", "-i", "PATH=" + PATH_ENV,
                "OCTOD_SSH_LISTEN=127.0.0.1:" + sshPort,
                "OCTOD_HTTP_PORT=" + httpPort,
                "OCTOD_HTTP_API_LISTEN=127.0.0.1:" + io.octohost.e2e.Octohost.freePort(),
                "OCTOD_DOMAIN=" + DOMAIN,
                "OCTOD_NGINX_CONF=" + nginxPrefix.resolve("containers.conf"),
                "OCTOD_NGINX_CMD=" + nginxCommand(),
                "OCTOD_NGINX_RELOAD=signal",
                "/usr/bin/octod");
        Files.writeString(octodLog, "$ " + String.join(" ", cmd) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        octod = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(octodLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Process started = octod;
        Await.until("octod ready (" + octodLog + ")", Duration.ofSeconds(90), () -> {
            try {
                return Files.readString(octodLog);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, text -> text.lastIndexOf("octod ready") > text.lastIndexOf("$ setpriv") || !started.isAlive());
        if (!started.isAlive()) fail("octod exited with " + started.exitValue() + ":\n" + tail(octodLog, 40));
    }

    private void stopOctod() {
        if (octod == null) return;
        octod.destroy();
        try {
            if (!octod.waitFor(20, TimeUnit.SECONDS)) {
                io.octohost.e2e.Proc.destroyTree(octod);
                octod.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        octod = null;
    }

    /** /usr/bin/octo as root without flags or OCTOD_API_SOCKET: it finds the socket in /etc/default/octod. */
    private Result octo(Path stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "-u", "OCTOD_API_SOCKET", "/usr/bin/octo"));
        cmd.addAll(List.of(args));
        Cmd p = Cmd.of(cmd).timeout(Duration.ofSeconds(60));
        if (stdin != null) p.stdin(stdin);
        Result r = p.run();
        record(r);
        return r;
    }

    private void assertServed() {
        String host = app + "." + DOMAIN;
        try {
            Await.until("nginx serves " + host + " on port " + httpPort, Duration.ofSeconds(15), () -> Http.get(httpPort, host, "/"),
                    r -> r.status() == 200 && r.bodyText().equals(expectedBody()));
        } catch (AssertionError e) {
            fail(e.getMessage() + "\noctod log:\n" + tail(octodLog, 40));
        }
    }

    private String expectedBody() {
        return "packaged octohost serves " + app + " " + nonce + "\n";
    }

    private Result git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Result r = Cmd.of(cmd).dir(dir).timeout(Duration.ofSeconds(180))
                .env("GIT_AUTHOR_NAME", "octohost e2e").env("GIT_AUTHOR_EMAIL", "e2e@octohost.test")
                .env("GIT_COMMITTER_NAME", "octohost e2e").env("GIT_COMMITTER_EMAIL", "e2e@octohost.test")
                .env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1").env("GIT_TERMINAL_PROMPT", "0")
                .env("GIT_SSH_COMMAND", "ssh -i " + key + " -o IdentitiesOnly=yes -o StrictHostKeyChecking=no"
                        + " -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=10")
                .run();
        record(r);
        return r;
    }

    // ------------------------------------------------------------------ the package

    /**
     * packaging/deb/target/octohost_*_all.deb (or -Doctohost.deb=FILE). Built when missing or older than
     * what goes in (the reactor builds it before this module; -pl src/test -am does not).
     */
    private Path packageFile() throws IOException {
        String given = System.getProperty("octohost.deb");
        if (given != null && !given.isBlank()) return Path.of(given);
        Path target = root.resolve("packaging/deb/target");
        Path found = findDeb(target);
        FileTime newestInput = newest(root.resolve("octod/target/octod.jar"), root.resolve("octo-cli/target/octo.jar"),
                root.resolve("packaging/deb/src"), root.resolve("packaging/deb/pom.xml"), root.resolve("systemd"),
                root.resolve("templates/nginx"));
        if (found == null || Files.getLastModifiedTime(found).compareTo(newestInput) < 0) {
            log("building the package (mvn -pl packaging/deb -am package)");
            Result r = Cmd.of("mvn", "-B", "-q", "-Dmaven.test.skip=true", "-pl", "packaging/deb", "-am", "package")
                    .dir(root).timeout(Duration.ofMinutes(4)).run();
            record(r);
            assertTrue(r.ok(), "building the package failed:\n" + r.describe());
            found = findDeb(target);
        }
        assertTrue(found != null, "no octohost_*_all.deb in " + target);
        return found;
    }

    private static Path findDeb(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("octohost_[^_]+_all\\.deb"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElse(null);
        }
    }

    private static FileTime newest(Path... paths) throws IOException {
        FileTime newest = FileTime.fromMillis(0);
        for (Path p : paths) {
            if (!Files.exists(p)) continue;
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    FileTime t = Files.getLastModifiedTime(f);
                    if (t.compareTo(newest) > 0) newest = t;
                }
            }
        }
        return newest;
    }

    /** The same package with another version, as a later build would be (dpkg-deb -R, change, -b). */
    private Path repackWithVersion(String newVersion) throws IOException {
        Path dir = work.resolve("repack");
        run("dpkg-deb", "-R", deb.toString(), dir.toString()).orFail();
        Path control = dir.resolve("DEBIAN/control");
        String text = Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + newVersion);
        Files.writeString(control, text);
        Path out = work.resolve("octohost_" + newVersion + "_all.deb");
        run("dpkg-deb", "--root-owner-group", "-Znone", "-b", dir.toString(), out.toString()).orFail();
        return out;
    }

    /** The OCTOD_* variables octod's Settings.java reads (options' defaults and getenv), from its source. */
    private List<String> settingsInSource() throws IOException {
        Path settings = root.resolve("octod/src/main/java/io/octohost/settings/Settings.java");
        Matcher m = Pattern.compile("(?:\\$\\{env:|getenv\\(\")(OCTOD_[A-Z0-9_]+)").matcher(Files.readString(settings));
        List<String> names = new ArrayList<>();
        while (m.find()) if (!names.contains(m.group(1))) names.add(m.group(1));
        assertFalse(names.isEmpty(), "no OCTOD_ variables found in " + settings);
        return names;
    }

    // ------------------------------------------------------------------ helpers

    private Result dpkg(String... args) {
        List<String> cmd = new ArrayList<>(List.of("dpkg"));
        cmd.addAll(List.of(args));
        Result r = Cmd.of(cmd).env("DEBIAN_FRONTEND", "noninteractive").timeout(Duration.ofMinutes(3)).run();
        record(r);
        return r;
    }

    private String packageStatus() {
        Result r = run("dpkg-query", "-W", "-f=${Status}", PKG);
        return r.ok() ? r.trimmed() : "not known";
    }

    /** Installs what is missing (apt-get update at most once). */
    private void ensurePackages(String... packages) {
        List<String> missing = new ArrayList<>();
        for (String p : packages) {
            if (!run("dpkg-query", "-W", "-f=${Status}", p).output().contains("install ok installed")) missing.add(p);
        }
        if (missing.isEmpty()) return;
        log("installing " + missing);
        run(List.of("apt-get", "update", "-qq"));
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        cmd.addAll(missing);
        Result r = Cmd.of(cmd).env("DEBIAN_FRONTEND", "noninteractive").timeout(Duration.ofMinutes(5)).run();
        record(r);
        assertTrue(r.ok(), "apt-get install failed:\n" + r.describe());
    }

    /** Regular files under the data dir (but nginx-check/ and tmp/, which octod and nginx -t rewrite), with their sha256. */
    private static Map<String, String> dataFiles() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(DATA)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = DATA.relativize(p).toString();
                if (rel.startsWith("nginx-check") || rel.startsWith("tmp") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                out.put(rel, sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertOwnerAndMode(Path p, String owner, String mode) throws IOException {
        assertTrue(Files.isDirectory(p), p + " is missing");
        assertEquals(owner, Files.getOwner(p).getName(), "owner of " + p);
        assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), "mode of " + p);
    }

    private void chownToServiceUser(Path p) {
        run("chown", USER + ":" + USER, p.toString()).orFail();
    }

    private static List<String> asServiceUser(String... cmd) {
        List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--"));
        out.addAll(List.of(cmd));
        return out;
    }

    private Result sh(String script) {
        return run("sh", "-c", script);
    }

    private Result run(String... cmd) {
        return run(List.of(cmd));
    }

    private Result run(List<String> cmd) {
        Result r = Cmd.of(cmd).timeout(Duration.ofSeconds(120)).run();
        record(r);
        return r;
    }

    private void record(Result r) {
        if (transcript == null) return;
        try {
            Files.writeString(transcript, r.describe() + "\n", StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the transcript is a help, not a requirement
        }
    }

    private void log(String message) {
        System.out.println("DebianPackageTest: " + message);
        if (transcript == null) return;
        try {
            Files.writeString(transcript, "# " + message + "\n", StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // as above
        }
    }

    private static List<String> lines(String s) {
        return Arrays.stream(s.split("\n")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static String tail(Path file, int n) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ")";
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    // ------------------------------------------------------------------ commands

    /** A command's outcome: exit code (-1 on timeout) and its output (stdout and stderr merged). */
    record Result(List<String> command, int exitCode, String output, boolean timedOut) {
        boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        String trimmed() {
            return output.strip();
        }

        String describe() {
            return "$ " + String.join(" ", command) + "\n[exit " + (timedOut ? "TIMEOUT" : exitCode) + "]\n" + output;
        }

        Result orFail() {
            if (!ok()) throw new AssertionError("command failed:\n" + describe());
            return this;
        }
    }

    /** Runs a command to completion (stdin /dev/null unless given), with a timeout. */
    static final class Cmd {
        private final List<String> command;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path dir;
        private Path stdin;
        private Duration timeout = Duration.ofSeconds(60);

        private Cmd(List<String> command) {
            this.command = List.copyOf(command);
            env.put("LC_ALL", "C.UTF-8");
        }

        static Cmd of(String... command) {
            return new Cmd(List.of(command));
        }

        static Cmd of(List<String> command) {
            return new Cmd(command);
        }

        Cmd env(String name, String value) {
            env.put(name, value);
            return this;
        }

        Cmd dir(Path d) {
            this.dir = d;
            return this;
        }

        Cmd stdin(Path file) {
            this.stdin = file;
            return this;
        }

        Cmd timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        /** Runs it with the shared runner; a command that cannot start exits 127, as in a shell. */
        Result run() {
            io.octohost.e2e.Proc proc = io.octohost.e2e.Proc.of(command).env(env).timeout(timeout);
            if (dir != null) proc.dir(dir);
            if (stdin != null) proc.stdin(stdin);
            try {
                io.octohost.e2e.Proc.Result r = proc.run();
                return new Result(r.command(), r.exitCode(), r.output(), r.timedOut());
            } catch (UncheckedIOException e) {
                return new Result(command, 127, "cannot start: " + e.getCause().getMessage(), false);
            }
        }
    }
}
