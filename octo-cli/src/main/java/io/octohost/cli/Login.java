package io.octohost.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * octo login, logout and git-credential, and octo's commands over HTTP once logged in: POST
 * /v1/commands with the token, the socket's frames in the request and the response.
 */
final class Login {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Path file;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    Login(Path file) {
        this.file = file;
    }

    /** {@code octo login URL [--email E] [--password-stdin]}. */
    int login(List<String> args) throws IOException, InterruptedException {
        String url = null;
        String email = null;
        boolean passwordStdin = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--email") && i + 1 < args.size()) {
                email = args.get(++i);
            } else if (a.startsWith("--email=")) {
                email = a.substring("--email=".length());
            } else if (a.equals("--password-stdin")) {
                passwordStdin = true;
            } else if (url == null && !a.startsWith("-")) {
                url = a;
            } else {
                err.println("octo: usage: octo login URL [--email EMAIL] [--password-stdin]");
                return 2;
            }
        }
        if (url == null || !url.matches("https?://[^/\\s]+/?")) {
            err.println("octo: usage: octo login URL [--email EMAIL] [--password-stdin]; URL is octod's HTTP API, like https://octo.example.com");
            return 2;
        }
        URI base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        Console console = System.console();
        if (email == null) {
            email = console == null ? null : console.readLine("Email: ");
        }
        String password;
        if (passwordStdin) {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } else {
            char[] typed = console == null ? null : console.readPassword("Password: ");
            password = typed == null ? null : new String(typed);
        }
        if (email == null || email.isBlank() || password == null || password.isEmpty()) {
            err.println("octo: give an email and a password (at a terminal, or --email and --password-stdin)");
            return 2;
        }
        String body = "{\"email\": " + quote(email.strip()) + ", \"password\": " + quote(password) + "}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/login")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            err.println("octo: login refused: " + errorOf(r.body()) + (r.statusCode() == 429
                    ? " (retry after " + r.headers().firstValue("Retry-After").orElse("?") + " s)" : ""));
            return 1;
        }
        Credentials credentials = new Credentials(base, email.strip(), field(r.body(), "token"), Instant.parse(field(r.body(), "expires")));
        credentials.write(file);
        // git asks `octo git-credential` for the token of this URL: a plain `git push URL/git/APP.git` works
        int git = new ProcessBuilder("git", "config", "--global", "credential." + base + ".helper", "!" + selfCommand() + " git-credential")
                .inheritIO().start().waitFor();
        out.println("logged in to " + base + " as " + credentials.email() + " until " + credentials.expires()
                + (git == 0 ? "; git pushes to " + base + "/git/APP.git use this login" : "; git config failed: set the credential helper yourself"));
        return 0;
    }

    /** {@code octo logout}: revokes the token at octod and forgets it. */
    int logout() throws IOException, InterruptedException {
        Optional<Credentials> c = Credentials.read(file);
        if (c.isEmpty()) {
            err.println("octo: not logged in");
            return 1;
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(c.get().url().resolve("/v1/login")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + c.get().token()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        Files.delete(file);
        new ProcessBuilder("git", "config", "--global", "--unset", "credential." + c.get().url() + ".helper").start().waitFor();
        out.println("logged out of " + c.get().url() + (r.statusCode() == 200 ? "" : " (the token was no longer valid)"));
        return 0;
    }

    /** git's credential protocol: {@code get} answers with the login's email and token for its octod's URL. */
    int gitCredential(List<String> args) throws IOException {
        Map<String, String> asked = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                asked.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (args.size() != 1 || !args.get(0).equals("get")) {
            return 0; // store and erase: the login is kept by octo login and logout only
        }
        Optional<Credentials> c = Credentials.read(file);
        if (c.isPresent() && c.get().covers(asked.getOrDefault("protocol", ""), asked.getOrDefault("host", ""))) {
            out.print("username=" + c.get().email() + "\npassword=" + c.get().token() + "\n");
            out.flush();
        }
        return 0;
    }

    /** Runs a command at the logged-in octod, relaying its output and exit code as over the socket. */
    int run(Credentials c, List<String> argv, InputStream stdin) throws IOException, InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Frames request = new Frames(null, body);
        request.writeArgv(argv);
        if (stdin != System.in || !stdinIsTerminal()) {
            request.write(Frames.STDIN, stdin.readAllBytes());
        }
        request.write(Frames.STDIN_EOF, new byte[0]);
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(c.url().resolve("/v1/commands"))
                .header("Authorization", "Bearer " + c.token()).header("Content-Type", "application/vnd.octohost.frames")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            err.println("octo: " + c.url() + ": " + (r.statusCode() == 401
                    ? "the login is no longer valid (expired or revoked): octo login " + c.url() : errorOf(text)));
            return 1;
        }
        try (InputStream in = r.body()) {
            return Octo.relay(new Frames(in, null), null, stdin);
        }
    }

    static boolean stdinIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    /** How git runs this octo again: the package's launcher, else the same java and jar. */
    private static String selfCommand() {
        String launcher = System.getenv("OCTO_LAUNCHER");
        if (launcher != null && !launcher.isBlank()) {
            return shellQuote(launcher);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar;
        try {
            jar = Path.of(Octo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return shellQuote(java) + " -jar " + shellQuote(jar);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A string field of octod's JSON answer (its token, expiry and error are plain strings, no escapes). */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"\\\\]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("octod's answer has no " + name);
        }
        return m.group(1);
    }

    private static String errorOf(String json) {
        try {
            return field(json, "error");
        } catch (IllegalStateException e) {
            return json.strip();
        }
    }
}
