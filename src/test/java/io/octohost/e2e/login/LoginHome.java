package io.octohost.e2e.login;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's machine: a HOME of its own, where {@code octo login} keeps its credentials and installs
 * git's credential helper, and from where {@code octo} and a plain {@code git push} over HTTP run.
 */
final class LoginHome {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private final Octohost octohost;
    private final Path home;

    LoginHome(Octohost octohost, Path home) {
        this.octohost = octohost;
        this.home = home;
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** octod's HTTP API, as a user logs in to it. */
    String apiUrl() {
        return "http://127.0.0.1:" + octohost.httpApiPort();
    }

    /** The git URL of an app over HTTP. */
    String gitUrl(String app) {
        return apiUrl() + "/git/" + app + ".git";
    }

    Path credentials() {
        return home.resolve(".config/octo/credentials");
    }

    /** {@code octo login URL --email E --password-stdin}, the password on stdin. */
    Proc.Result login(String email, String password) {
        return octo(password + "\n", "login", apiUrl(), "--email", email, "--password-stdin");
    }

    /** octo on this machine: no API socket, so a logged-in octo talks to octod over HTTP. */
    Proc.Result octo(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", octohost.octoJar().toString()));
        cmd.addAll(List.of(args));
        Proc p = env(Proc.of(cmd)).timeout(Duration.ofSeconds(60));
        if (stdin != null) {
            p.stdin(stdin.getBytes(StandardCharsets.UTF_8));
        }
        return p.run();
    }

    /** git in {@code dir} with this HOME's global config (octo login's credential helper), no prompt. */
    Proc.Result git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return env(Proc.of(cmd)).dir(dir).env("GIT_TERMINAL_PROMPT", "0").timeout(TIMEOUT).run();
    }

    /** A plain {@code git push URL master} of the work tree over HTTP. */
    Proc.Result push(AppRepo repo, String app, String... options) {
        List<String> args = new ArrayList<>(List.of("push"));
        args.addAll(List.of(options));
        args.addAll(List.of(gitUrl(app), "master"));
        return git(repo.dir(), args.toArray(String[]::new));
    }

    private Proc env(Proc p) {
        return p.env("HOME", home.toString()).env("XDG_CONFIG_HOME", home.resolve(".config").toString())
                .env("GIT_CONFIG_NOSYSTEM", "1").env("LC_ALL", "C.UTF-8");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
