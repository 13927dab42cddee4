package io.octohost.e2e.archives;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.SshKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, acceptance 4: every release keeps the source it was built from, and {@code octo
 * releases:source} and {@code GET /v1/apps/{app}/releases/{n}/source} give back a tarball whose files
 * are those of {@code git archive} of the pushed commit (paths, bytes, executable bits, a binary file,
 * a symbolic link). The same scenarios run on each store: the data dir and a real S3 server. octod keeps
 * 2 releases ({@code --keep-releases 2}), so that retention shows in a few deploys.
 */
abstract class SourceArchiveScenarios {
    static final String KEEP_TWO = "2";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    abstract Octohost octohost();

    /** The store's short name: {@code dir} or {@code s3}. */
    abstract String store();

    /** The releases of the app whose archive the store holds now, looked at directly: files, or objects listed over S3. */
    abstract Set<Integer> stored(String app);

    /** A stored archive's bytes, read directly from the store. */
    abstract byte[] storedBytes(String app, int release);

    @Test
    void eachBuildKeepsItsSourceARollbackShowsTheOneItRunsAndOldOnesGoWithTheirReleases() {
        String app = appName("keep");
        AppRepo repo = octohost().app(app);

        // v1: a site with an executable script, a binary file and a symbolic link
        String pageA = Content.unique("source A");
        repo.staticSite(pageA);
        executable(repo, "bin/start.sh", "#!/bin/sh\necho start\n");
        repo.write("data/blob.bin", binary(1));
        symlink(repo, "current", "www/index.html");
        String shaA = repo.deploy("master", pageA);
        SortedMap<String, String> a = Tarballs.entries(repo.archive(shaA));
        assertEquals("file +x " + Tarballs.sha256("#!/bin/sh\necho start\n".getBytes(StandardCharsets.UTF_8)), a.get("bin/start.sh"), a::toString);
        assertEquals("file -x " + Tarballs.sha256(binary(1)), a.get("data/blob.bin"), a::toString);
        assertEquals("link -> www/index.html", a.get("current"), a::toString);

        assertEquals(Set.of(1), stored(app));
        assertEquals(a, Tarballs.entries(octoSource(app)), "releases:source APP: the current release's source");
        assertEquals(a, Tarballs.entries(octoSource(app, "v1")));
        assertEquals(a, Tarballs.entries(storedBytes(app, 1)), "what the store holds is that archive");

        // v2: the script loses its executable bit, the binary changes, a file goes
        String pageB = Content.unique("source B");
        repo.staticSite(pageB);
        executable(repo, "bin/run.sh", "#!/bin/sh\necho run\n");
        repo.write("bin/start.sh", "not executable any more\n");
        mode(repo, "bin/start.sh", "rw-r--r--");
        repo.write("data/blob.bin", binary(2));
        repo.delete("current");
        String shaB = repo.deploy("master", pageB);
        SortedMap<String, String> b = Tarballs.entries(repo.archive(shaB));
        assertNotEquals(a, b);
        assertEquals(Set.of(1, 2), stored(app));
        assertEquals(b, Tarballs.entries(octoSource(app)), "the latest by default");
        assertEquals(a, Tarballs.entries(octoSource(app, "v1")), "the older release's own source");
        assertEquals(b, Tarballs.entries(octoSource(app, "2")));

        // v3: a rollback to v1 stores nothing new and shows v1's source
        octo("rollback", app, "v1").orFail();
        assertEquals(Set.of(1, 2), stored(app), "a rollback makes no archive");
        assertEquals(a, Tarballs.entries(octoSource(app, "v3")));

        // v4: a push; the last two releases are v3 (v1's source) and v4: v2's archive goes
        String pageC = Content.unique("source C");
        String shaC = repo.staticSite(pageC).deploy("master", pageC);
        SortedMap<String, String> c = Tarballs.entries(repo.archive(shaC));
        assertEquals(Set.of(1, 4), stored(app), "v1's archive stays while the rollback v3 that runs it is kept");
        Proc.Result pruned = octo("releases:source", app, "v2");
        assertEquals(1, pruned.exitCode(), pruned::describe);
        assertEquals("error: the source of " + app + " v2 is no longer kept (only the last 2 releases keep theirs, --keep-releases)",
                pruned.trimmed());

        // v5: a config change shows v4's source; v3 is out of the last two, so v1's archive goes too
        octo("config:set", app, "COLOR=red").orFail();
        assertEquals(Set.of(4), stored(app));
        assertEquals(c, Tarballs.entries(octoSource(app, "v5")));
        assertEquals(1, octo("releases:source", app, "v3").exitCode());

        // a release that does not exist, and a malformed one: one-line errors
        assertEquals("error: " + app + " has no release v9", octo("releases:source", app, "v9").trimmed());
        assertEquals("error: invalid release 'x1': give vN, e.g. v3", octo("releases:source", app, "x1").trimmed());

        // apps:destroy deletes every archive of the app
        octo("apps:destroy", app, "--confirm", app).orFail();
        assertEquals(Set.of(), stored(app));
    }

    @Test
    void overHttpAdminsGetTheSourceAndDeployTokensAndKeysAreRefused() throws Exception {
        String app = appName("http");
        AppRepo repo = octohost().app(app);
        String page = Content.unique("source over http");
        repo.staticSite(page);
        executable(repo, "bin/start.sh", "#!/bin/sh\nexec httpd\n");
        repo.write("data/blob.bin", binary(3));
        String sha = repo.deploy("master", page);
        SortedMap<String, String> expected = Tarballs.entries(repo.archive(sha));
        String admin = octo("tokens:create", app + "-ops").orFail().trimmed();
        String deploy = octo("tokens:create", app + "-ci", "--role", "deploy", "--app", app).orFail().trimmed();
        String deployAll = octo("tokens:create", app + "-ci-all", "--role", "deploy").orFail().trimmed();

        // an admin token gets the archive, as application/gzip, by number or by label
        HttpResponse<byte[]> ok = get("/v1/apps/" + app + "/releases/1/source", admin);
        assertEquals(200, ok.statusCode(), () -> new String(ok.body(), StandardCharsets.UTF_8));
        assertEquals("application/gzip", ok.headers().firstValue("Content-Type").orElse(""));
        assertEquals(expected, Tarballs.entries(ok.body()));
        assertEquals(expected, Tarballs.entries(get("/v1/apps/" + app + "/releases/v1/source", admin).body()));

        // deploy tokens, limited to the app or not, are refused: the source is the app's code
        for (String token : List.of(deploy, deployAll)) {
            HttpResponse<byte[]> refused = get("/v1/apps/" + app + "/releases/1/source", token);
            assertEquals(403, refused.statusCode());
            assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("may not read the source of app '" + app + "'"),
                    () -> new String(refused.body(), StandardCharsets.UTF_8));
        }
        // over SSH an admin key gets the same bytes; a deploy key is refused
        assertEquals(expected, Tarballs.entries(stdout(octohost().sshCommand(octohost().adminKey(), "git@127.0.0.1", "releases:source " + app))));
        SshKey ci = octohost().addKey(app + "-ci-key", "deploy", app);
        Proc.Result bySsh = octohost().ssh(ci, Duration.ofSeconds(60), "git@127.0.0.1", "releases:source " + app);
        assertNotEquals(0, bySsh.exitCode(), bySsh::describe);
        assertTrue(bySsh.output().contains("permission denied"), bySsh::describe);

        // no such release: 404; not a release number: 400; no token: 401
        assertEquals(404, get("/v1/apps/" + app + "/releases/7/source", admin).statusCode());
        assertEquals(400, get("/v1/apps/" + app + "/releases/first/source", admin).statusCode());
        assertEquals(401, get("/v1/apps/" + app + "/releases/1/source", null).statusCode());
    }

    /** An app name unique to the store the scenario runs on. */
    String appName(String what) {
        return "src-" + what + "-" + store();
    }

    Proc.Result octo(String... args) {
        return octohost().octo(null, args);
    }

    /** {@code octo releases:source ARGS > file}: the bytes octo writes to its standard output, exit 0. */
    byte[] octoSource(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                octohost().octoJar().toString(), "--api-socket", octohost().apiSocket().toString(), "releases:source"));
        cmd.addAll(List.of(args));
        return stdout(cmd);
    }

    /** {@code COMMAND > file}: the bytes the command writes to its standard output, exit 0. */
    static byte[] stdout(List<String> cmd) {
        try {
            Path out = Files.createTempFile("octohost-e2e-source-", ".tar.gz");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), () -> String.join(" ", cmd) + " did not end");
                assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + ": " + err);
                return Files.readAllBytes(out);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String token) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + octohost().httpApiPort() + path))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every byte value, then random ones: no text encoding survives it unchanged by accident. */
    static byte[] binary(int seed) {
        byte[] bytes = new byte[256 + 4096];
        for (int i = 0; i < 256; i++) {
            bytes[i] = (byte) i;
        }
        byte[] random = new byte[4096];
        new Random(seed).nextBytes(random);
        System.arraycopy(random, 0, bytes, 256, random.length);
        return bytes;
    }

    static void executable(AppRepo repo, String path, String content) {
        repo.write(path, content);
        mode(repo, path, "rwxr-xr-x");
    }

    static void mode(AppRepo repo, String path, String permissions) {
        try {
            Files.setPosixFilePermissions(repo.dir().resolve(path), PosixFilePermissions.fromString(permissions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void symlink(AppRepo repo, String path, String target) {
        try {
            Files.createSymbolicLink(repo.dir().resolve(path), Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
