package io.octohost.source;

import com.sun.net.httpserver.HttpServer;
import io.octohost.app.AppName;
import io.octohost.app.BuildControl;
import io.octohost.app.BuildStatus;
import io.octohost.app.Progress;
import io.octohost.app.SourceTree;
import io.octohost.app.Stopped;
import io.octohost.app.UserError;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sources fetched into an app's repo as commits: tarballs from a real HTTP server (basic auth, gzip,
 * one top directory, modes, links, bad archives) and git repositories at a branch, a tag or a commit.
 */
class FetchIntoRepoTest {
    private static final AppName APP = AppName.of("hello");
    @TempDir
    Path dir;
    private HttpServer http;
    private final Map<String, byte[]> served = new TreeMap<>();
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private volatile boolean stopping;
    private FetchIntoRepo fetcher;

    @BeforeEach
    void start() throws IOException {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.resolve("hello.git").toFile()).setBare().build()) {
            repo.create(true);
        }
        fetcher = new FetchIntoRepo(app -> dir.resolve(app + ".git"));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        http.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/slow")) {
                ex.sendResponseHeaders(200, 0);
                ex.getResponseBody().write(new byte[512]);
                ex.getResponseBody().flush();
                slowStarted.countDown();
                long until = System.nanoTime() + 120_000_000_000L;
                while (!stopping && System.nanoTime() < until) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                ex.close();
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            byte[] body = served.get(path);
            int status = body == null ? 404 : auth == null || !auth.equals("Basic " + Base64.getEncoder()
                    .encodeToString("ci:pw".getBytes(StandardCharsets.UTF_8))) ? 401 : 200;
            ex.sendResponseHeaders(status, status == 200 ? body.length : -1);
            if (status == 200) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        stopping = true;
        http.stop(0);
    }

    private String url(String path) {
        return "http://ci:pw@127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private SourceTree fetch(String url) {
        return fetcher.fetch(APP, Source.parse(url), Progress.SILENT, BuildControl.none());
    }

    /** A tarball: each entry a path and its content, a mode for files, or "-> target" for a symlink. */
    private static byte[] tarball(boolean gzip, Map<String, Object[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip ? new GZIPOutputStream(bytes) : bytes)) {
            for (Map.Entry<String, Object[]> e : entries.entrySet()) {
                String content = (String) e.getValue()[0];
                TarArchiveEntry entry;
                if (content.startsWith("-> ")) {
                    entry = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(content.substring(3));
                } else {
                    entry = new TarArchiveEntry(e.getKey());
                    entry.setMode((Integer) e.getValue()[1]);
                    entry.setSize(content.getBytes(StandardCharsets.UTF_8).length);
                }
                tar.putArchiveEntry(entry);
                if (!content.startsWith("-> ")) {
                    tar.write(content.getBytes(StandardCharsets.UTF_8));
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Every entry of the tree's tar stream: path to mode and content (or link target). */
    private static Map<String, String> entries(SourceTree tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tree.writeTar(out, Map.of());
        Map<String, String> got = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                got.put(e.getName(), e.isSymbolicLink() ? "-> " + e.getLinkName()
                        : Integer.toOctalString(e.getMode() & 0777) + " " + new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return got;
    }

    @Test
    void aGzippedTarballWithOneTopDirectoryBecomesACommitOfThatDirectoryWithModesAndLinks() throws IOException {
        Map<String, Object[]> files = new TreeMap<>();
        files.put("hello-1.0/Dockerfile", new Object[] {"FROM scratch\n", 0644});
        files.put("hello-1.0/bin/run", new Object[] {"#!/bin/sh\n", 0755});
        files.put("hello-1.0/current", new Object[] {"-> bin/run"});
        files.put("./hello-1.0/www/index.html", new Object[] {"hi\n", 0600});
        served.put("/hello.tar.gz", tarball(true, files));

        SourceTree tree = fetch(url("/hello.tar.gz"));

        assertEquals(Optional.of("FROM scratch\n"), tree.file("Dockerfile").map(b -> new String(b, StandardCharsets.UTF_8)));
        assertEquals(Map.of("Dockerfile", "644 FROM scratch\n", "bin/run", "755 #!/bin/sh\n", "current", "-> bin/run",
                "www/index.html", "644 hi\n"), entries(tree));
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.resolve("hello.git").toFile()).build()) {
            assertTrue(repo.getObjectDatabase().has(org.eclipse.jgit.lib.ObjectId.fromString(tree.commit().sha())));
            assertTrue(repo.getRefDatabase().getRefs().isEmpty(), "a fetch leaves no ref behind");
        }
    }

    @Test
    void aPlainTarWithFilesAtItsRootIsTakenAsItIs() throws IOException {
        Map<String, Object[]> files = new TreeMap<>();
        files.put("Dockerfile", new Object[] {"FROM scratch\n", 0644});
        files.put("app/main.sh", new Object[] {"echo\n", 0644});
        served.put("/plain.tar", tarball(false, files));
        assertEquals(Map.of("Dockerfile", "644 FROM scratch\n", "app/main.sh", "644 echo\n"), entries(fetch(url("/plain.tar"))));
    }

    @Test
    void whatIsNoSourceTarballFailsWithOneLineSayingWhy() throws IOException {
        served.put("/junk.tar.gz", "<html>not a tarball</html>".getBytes(StandardCharsets.UTF_8));
        served.put("/climb.tar", tarball(false, Map.of("../etc/passwd", new Object[] {"x", 0644})));
        served.put("/empty.tar", tarball(false, Map.of()));
        String base = "http://127.0.0.1:" + http.getAddress().getPort();

        assertEquals("downloading " + base + "/missing.tar.gz answered HTTP 404", assertThrows(UserError.class,
                () -> fetch(url("/missing.tar.gz"))).getMessage());
        assertEquals("downloading " + base + "/junk.tar.gz answered HTTP 401", assertThrows(UserError.class,
                () -> fetch(base + "/junk.tar.gz")).getMessage(), "without the URL's user info, no basic auth");
        assertTrue(assertThrows(UserError.class, () -> fetch(url("/junk.tar.gz"))).getMessage()
                .startsWith("cannot read " + base + "/junk.tar.gz as a tar or tar.gz archive"));
        assertEquals("cannot read " + base + "/climb.tar as a tar or tar.gz archive: the entry '../etc/passwd' climbs out of the archive",
                assertThrows(UserError.class, () -> fetch(url("/climb.tar"))).getMessage());
        assertEquals("cannot read " + base + "/empty.tar as a tar or tar.gz archive: it holds no files",
                assertThrows(UserError.class, () -> fetch(url("/empty.tar"))).getMessage());
        UserError refused = assertThrows(UserError.class, () -> fetch("http://127.0.0.1:1/x.tar"));
        assertTrue(refused.getMessage().startsWith("cannot download http://127.0.0.1:1/x.tar: "), refused.getMessage());
        assertTrue(!refused.getMessage().contains("ci:pw"), refused.getMessage());
    }

    @Test
    void aStoppedBuildEndsItsDownloadAtOnce() throws Exception {
        BuildControl control = BuildControl.none();
        Thread stopper = new Thread(() -> {
            try {
                slowStarted.await();
                control.stop(BuildStatus.CANCELLED, "cancelled by alice");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        long start = System.nanoTime();
        Stopped stopped = assertThrows(Stopped.class, () -> fetcher.fetch(APP, Source.parse(url("/slow")), Progress.SILENT, control));
        assertEquals("cancelled by alice", stopped.getMessage());
        // the download would go on for 120 s: ended well before, the stop ended it
        assertTrue(System.nanoTime() - start < 60_000_000_000L, "the download went on");
    }

    @Test
    void aGitRepositoryIsFetchedAtABranchATagOrACommit() throws Exception {
        Path work = dir.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("Dockerfile"), "FROM scratch\n");
            git.add().addFilepattern(".").call();
            RevCommit first = git.commit().setMessage("one").setAuthor("t", "t@t").setCommitter("t", "t@t").call();
            git.tag().setName("v1").setAnnotated(true).setMessage("v1").call();
            Files.writeString(work.resolve("Dockerfile"), "FROM scratch\nCMD [\"two\"]\n");
            git.add().addFilepattern(".").call();
            RevCommit second = git.commit().setMessage("two").setAuthor("t", "t@t").setCommitter("t", "t@t").call();
            String repo = "git+file://" + work;

            assertEquals(second.name(), fetch(repo + "#main").commit().sha());
            assertEquals(second.name(), fetch(repo).commit().sha(), "HEAD without a ref");
            assertEquals(first.name(), fetch(repo + "#v1").commit().sha(), "an annotated tag is its commit");
            assertEquals(first.name(), fetch(repo + "#" + first.name()).commit().sha());
            assertEquals(Optional.of("FROM scratch\n"), fetch(repo + "#v1").file("Dockerfile").map(b -> new String(b, StandardCharsets.UTF_8)));
            assertEquals("no branch or tag 'nope' in " + repo + "#nope", assertThrows(UserError.class, () -> fetch(repo + "#nope")).getMessage());
            assertEquals("'" + "0".repeat(40) + "' is not a commit of " + repo + "#" + "0".repeat(40),
                    assertThrows(UserError.class, () -> fetch(repo + "#" + "0".repeat(40))).getMessage());
            try (Repository target = new FileRepositoryBuilder().setGitDir(dir.resolve("hello.git").toFile()).build()) {
                assertTrue(target.getRefDatabase().getRefs().isEmpty(), "a fetch leaves no ref behind");
            }
        }
    }
}
