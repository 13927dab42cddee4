package io.octohost.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The octo command. It knows no command itself: it sends its arguments to octod over the local
 * API socket and relays output and exit code, so the local CLI and SSH share one command tree.
 */
public final class Octo {
    static final String DEFAULT_SOCKET = "/run/octod/api.sock";
    /** The commands that read a password on standard input: at a terminal, octo asks for it without echo. */
    private static final List<String> PASSWORD_COMMANDS = List.of("users:add", "users:passwd");

    private Octo() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        int notUtf8 = firstNotUtf8(args);
        if (notUtf8 > 0) {
            System.err.println("octo: argument " + notUtf8 + " is not valid UTF-8: octohost keeps text byte-exact and takes UTF-8 only");
            return 2;
        }
        List<String> argv = new ArrayList<>(List.of(args));
        if (!argv.isEmpty() && List.of("login", "logout", "git-credential").contains(argv.get(0))) {
            return account(argv);
        }
        String socket = System.getenv().getOrDefault("OCTOD_API_SOCKET", DEFAULT_SOCKET);
        boolean socketGiven = System.getenv("OCTOD_API_SOCKET") != null;
        // octo's own option comes before the command; everything after it belongs to octod
        while (!argv.isEmpty() && argv.get(0).startsWith("--api-socket")) {
            String opt = argv.remove(0);
            socketGiven = true;
            if (opt.startsWith("--api-socket=")) {
                socket = opt.substring("--api-socket=".length());
            } else if (!argv.isEmpty()) {
                socket = argv.remove(0);
            } else {
                System.err.println("octo: --api-socket needs a path");
                return 2;
            }
        }
        InputStream stdin;
        try {
            stdin = standardInput(argv);
        } catch (IOException e) {
            System.err.println("octo: " + e.getMessage());
            return 1;
        }
        if (!socketGiven) {
            // logged in (octo login): the command runs at that octod, over HTTP
            try {
                Optional<Credentials> login = Credentials.read(Credentials.defaultFile());
                if (login.isPresent()) {
                    return new Login(Credentials.defaultFile()).run(login.get(), argv, stdin);
                }
            } catch (IOException | InterruptedException e) {
                System.err.println("octo: cannot talk to octod over HTTP: " + e);
                return 1;
            }
        }
        Path path = Path.of(socket);
        if (!Files.exists(path)) {
            System.err.println("octo: no octod API socket at " + path + " (is octod running? set --api-socket or OCTOD_API_SOCKET)");
            return 1;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return relay(new Frames(channel), argv, stdin);
        } catch (IOException e) {
            System.err.println("octo: cannot talk to octod at " + path + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * The first argument (from 1) whose bytes are not UTF-8, or 0. The JVM has turned such bytes into
     * U+FFFD already; only the kernel's copy of the command line ({@code /proc/self/cmdline}, whose
     * last entries are main's arguments) tells them from a real U+FFFD.
     */
    static int firstNotUtf8(String[] args) {
        if (Arrays.stream(args).noneMatch(a -> a.indexOf('\uFFFD') >= 0)) {
            return 0;
        }
        try {
            List<byte[]> entries = new ArrayList<>();
            byte[] all = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            for (int start = 0, i = 0; i < all.length; i++) {
                if (all[i] == 0) {
                    entries.add(Arrays.copyOfRange(all, start, i));
                    start = i + 1;
                }
            }
            List<byte[]> mine = entries.subList(Math.max(0, entries.size() - args.length), entries.size());
            for (int i = 0; i < mine.size(); i++) {
                try {
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(mine.get(i)));
                } catch (CharacterCodingException e) {
                    return i + 1;
                }
            }
            return 0;
        } catch (IOException e) {
            return 0; // no /proc: trust the JVM
        }
    }

    /**
     * What the command reads on standard input: octo's own, or for a command that reads a password there
     * (users:add, users:passwd) at a terminal, the password, asked twice without echo.
     */
    static InputStream standardInput(List<String> argv) throws IOException {
        java.io.Console console = System.console();
        if (argv.isEmpty() || !PASSWORD_COMMANDS.contains(argv.get(0)) || argv.contains("--help") || argv.contains("-h")
                || console == null || !Login.stdinIsTerminal()) {
            return System.in;
        }
        char[] first = console.readPassword("Password: ");
        char[] again = first == null ? null : console.readPassword("Again: ");
        if (again == null || !Arrays.equals(first, again)) {
            throw new IOException("the passwords differ: nothing changed");
        }
        return new java.io.ByteArrayInputStream((new String(first) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** octo login, logout and git-credential: the client's own commands (octod has no part in the login file). */
    private static int account(List<String> argv) {
        Login login = new Login(Credentials.defaultFile());
        try {
            return switch (argv.get(0)) {
                case "login" -> login.login(argv.subList(1, argv.size()));
                case "logout" -> login.logout();
                default -> login.gitCredential(argv.subList(1, argv.size()));
            };
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("octo: " + argv.get(0) + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** Sends the arguments (unless null: they went already) and relays the command's output and exit code. */
    static int relay(Frames frames, List<String> argv, InputStream stdin) throws IOException {
        if (argv != null) {
            frames.writeArgv(argv);
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        while (true) {
            Frames.Frame frame = frames.read();
            if (frame == null) {
                err.println("octo: octod closed the connection before the command finished");
                return 1;
            }
            switch (frame.type()) {
                case Frames.STDOUT -> {
                    out.write(frame.payload());
                    out.flush();
                }
                case Frames.STDERR -> {
                    err.write(frame.payload());
                    err.flush();
                }
                case Frames.NEED_STDIN -> pumpStdin(frames, stdin);
                case Frames.EXIT -> {
                    out.flush();
                    return Frames.decodeExit(frame.payload());
                }
                default -> throw new IOException("unexpected frame type " + (char) frame.type());
            }
        }
    }

    /** Sends stdin only when the command asks for it, so octo never waits on a terminal it doesn't need. */
    private static void pumpStdin(Frames frames, InputStream stdin) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = stdin) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    frames.write(Frames.STDIN, buffer, 0, n);
                }
                frames.write(Frames.STDIN_EOF, new byte[0]);
            } catch (IOException e) {
                // octod finished or went away; the exit frame or the closed socket tells the rest
            }
        }, "stdin");
        pump.setDaemon(true);
        pump.start();
    }
}
