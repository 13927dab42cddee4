package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A git work tree that pushes to one octod repo path ({@code ssh://git@127.0.0.1:PORT/<remotePath>}).
 * The remote path is the app name for well-formed names, but may be anything (e.g. {@code ../x})
 * to test rejections. Commits use a fixed author; the user's git config is ignored.
 */
public final class AppRepo {
    /**
     * The Dockerfile of a static site served by busybox httpd on port 80, from www/. A shell with a
     * TERM trap is PID 1: httpd as PID 1 would ignore SIGTERM, and every {@code docker stop} of a
     * replaced container would wait its full grace period.
     */
    public static final String STATIC_SITE_DOCKERFILE = String.join("\n",
            "FROM octohost/busybox:latest",
            "COPY www /www",
            "EXPOSE 80",
            "CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM INT; httpd -f -p 80 -h /www & wait\"]",
            "");

    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(180);

    private final Octohost octohost;
    private final String remotePath;
    private final Path dir;
    private final SshKey key;

    AppRepo(Octohost octohost, String remotePath, Path dir, SshKey key) {
        this.octohost = octohost;
        this.remotePath = remotePath;
        this.dir = dir;
        this.key = key;
    }

    /** Creates the work tree: {@code git init -b master}. */
    static AppRepo init(Octohost octohost, String remotePath, Path dir, SshKey key) {
        AppRepo repo = new AppRepo(octohost, remotePath, dir, key);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        repo.git("init", "-q", "-b", "master").orFail();
        return repo;
    }

    /** The same work tree, pushing with another key. */
    public AppRepo as(SshKey otherKey) {
        return new AppRepo(octohost, remotePath, dir, otherKey);
    }

    /** The same work tree, pushing to another repo path (another app). */
    public AppRepo pushingTo(String otherRemotePath) {
        return new AppRepo(octohost, otherRemotePath, dir, key);
    }

    public String remotePath() {
        return remotePath;
    }

    public Path dir() {
        return dir;
    }

    public String url() {
        return octohost.url(remotePath);
    }

    /** Writes a file of the work tree (parent directories created). */
    public AppRepo write(String path, String content) {
        return write(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public AppRepo write(String path, byte[] content) {
        try {
            Path f = dir.resolve(path);
            Files.createDirectories(f.getParent());
            Files.write(f, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public AppRepo delete(String path) {
        try {
            Files.deleteIfExists(dir.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Replaces the Dockerfile with these lines. */
    public AppRepo dockerfile(String... lines) {
        return write("Dockerfile", String.join("\n", lines) + "\n");
    }

    /** A static site: {@link #STATIC_SITE_DOCKERFILE} and www/index.html with exactly {@code indexHtml}. */
    public AppRepo staticSite(String indexHtml) {
        write("Dockerfile", STATIC_SITE_DOCKERFILE);
        return write("www/index.html", indexHtml);
    }

    /** Copies a directory (e.g. one of examples/) into the work tree. */
    public AppRepo copyFrom(Path source) {
        try (var files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** {@code git add -A && git commit}; returns the new commit's full sha. */
    public String commit(String message) {
        git("add", "-A").orFail();
        git("commit", "-q", "--allow-empty", "-m", message).orFail();
        return head();
    }

    /**
     * HEAD as a gzipped tarball whose files sit in one top directory, as GitHub's archives have them
     * ({@code git archive --prefix=TOP/}).
     */
    public byte[] tarball(String top) {
        return archive("HEAD", "--prefix=" + top + "/");
    }

    /** {@code git archive --format=tar.gz [OPTIONS] COMMIT}: the commit's tree as git itself packs it. */
    public byte[] archive(String commit, String... options) {
        try {
            Path file = Files.createTempFile("octohost-e2e-", ".tar.gz");
            try {
                List<String> args = new ArrayList<>(List.of("archive", "--format=tar.gz", "-o", file.toString()));
                args.addAll(List.of(options));
                args.add(commit);
                git(args.toArray(String[]::new)).orFail();
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code git checkout -B branch}: creates or resets the branch at HEAD and switches to it. */
    public AppRepo branch(String name) {
        git("checkout", "-q", "-B", name).orFail();
        return this;
    }

    /** Switches to an existing branch. */
    public AppRepo checkout(String name) {
        git("checkout", "-q", name).orFail();
        return this;
    }

    /** The full sha of HEAD. */
    public String head() {
        return git("rev-parse", "HEAD").orFail().trimmed();
    }

    /** The full sha of a local ref. */
    public String rev(String ref) {
        return git("rev-parse", ref).orFail().trimmed();
    }

    /**
     * {@code git push URL <refspec>}: a branch name ({@code master}, {@code feature/login}) or any refspec
     * ({@code :feature/x} deletes). Never retried, never forced.
     */
    public PushResult push(String refspec) {
        Proc.Result r = git(PUSH_TIMEOUT, "push", url(), refspec);
        String out = r.timedOut() ? r.output() + "\n[git push timed out after " + PUSH_TIMEOUT + "]" : r.output();
        PushResult result = new PushResult("git push " + url() + " " + refspec, r.exitCode(), out);
        octohost.recordPush(result);
        return result;
    }

    /** {@code git push --progress URL <refspec>} left running, its output read as it comes. */
    public Streaming startPush(String refspec) {
        return Streaming.start(Proc.of("git", "push", "--progress", url(), refspec).dir(dir).env(octohost.gitEnv(key)));
    }

    /**
     * Commits the work tree, pushes {@code branch}, and asserts that the push was accepted and that its
     * app serves exactly {@code page} when it returns (no retry). Returns the commit.
     */
    public String deploy(String branch, String page) {
        String sha = commit("deploy " + branch);
        PushResult push = push(branch);
        assertEquals(0, push.exitCode(), push::describe);
        Http.Response served = octohost.get(appOf(branch));
        assertEquals(200, served.status(), () -> served + "\n" + push.describe());
        assertEquals(page, served.bodyText(), () -> served + "\n" + push.describe());
        return sha;
    }

    /**
     * The app a push of this refspec deploys: the repo for master or main, REPO-BRANCH for another
     * branch (lowercased, '/', '_' and '.' turned into '-'), as octod names it.
     */
    public String appOf(String refspec) {
        String repo = remotePath.endsWith(".git") ? remotePath.substring(0, remotePath.length() - 4) : remotePath;
        String dst = refspec.contains(":") ? refspec.substring(refspec.indexOf(':') + 1) : refspec;
        dst = dst.startsWith("refs/heads/") ? dst.substring("refs/heads/".length()) : dst;
        return dst.isEmpty() || dst.equals("master") || dst.equals("main") || dst.startsWith("refs/")
                ? repo
                : repo + "-" + dst.toLowerCase(Locale.ROOT).replaceAll("[/_.]", "-");
    }

    /** {@code git push URL :branch}. */
    public PushResult deleteBranch(String branch) {
        return push(":" + branch);
    }

    /**
     * The remote's refs (name to sha), listed through git-receive-pack (the only command octod allows):
     * {@code git ls-remote --upload-pack=git-receive-pack URL}. Fails the test if that command fails;
     * use {@link #lsRemote()} to see the raw result.
     */
    public Map<String, String> remoteRefs() {
        Proc.Result r = lsRemote();
        if (!r.ok()) throw new AssertionError("ls-remote through git-receive-pack failed:\n" + r.describe());
        Map<String, String> refs = new LinkedHashMap<>();
        for (String line : Docker.lines(r.output())) {
            String[] parts = line.split("\\s+");
            if (parts.length == 2 && parts[0].matches("[0-9a-f]{40}")) refs.put(parts[1], parts[0]);
        }
        return refs;
    }

    public Proc.Result lsRemote() {
        return git(GIT_TIMEOUT, "ls-remote", "--upload-pack=git-receive-pack", url());
    }

    /** Runs git in the work tree with the fixture's environment. */
    public Proc.Result git(String... args) {
        return git(GIT_TIMEOUT, args);
    }

    private Proc.Result git(Duration timeout, String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        return Proc.of(cmd).dir(dir).env(octohost.gitEnv(key)).timeout(timeout).run();
    }
}
