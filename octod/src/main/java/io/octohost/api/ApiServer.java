package io.octohost.api;

import io.octohost.cli.Frames;
import io.octohost.auth.Principal;
import io.octohost.command.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The local API: a unix socket (mode 0600) that runs octo commands for whoever may open it.
 * See {@link Frames} for the protocol.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private final Path socketPath;
    private final Commands commands;
    private ServerSocketChannel server;

    public ApiServer(Path socketPath, Commands commands) {
        this.socketPath = socketPath;
        this.commands = commands;
    }

    /** Binds under a temporary name, restricts it to 0600, then renames it: no moment is it open to others. */
    public void start() throws IOException {
        Files.createDirectories(socketPath.getParent());
        Path temp = socketPath.resolveSibling("." + socketPath.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(temp));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        Files.move(temp, socketPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Thread acceptor = new Thread(this::acceptLoop, "api-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread worker = new Thread(() -> serve(client), "api-client");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                if (server.isOpen()) {
                    log.warn("API socket accept failed: {}", e.getMessage());
                }
            }
        }
    }

    /**
     * Runs the command on a thread of its own while this one keeps reading the socket: stdin
     * frames go to the command, and the client going away (octo interrupted) interrupts it.
     */
    private void serve(SocketChannel client) {
        try (client) {
            Frames frames = new Frames(client);
            List<String> argv;
            try {
                argv = readArgv(frames);
            } catch (IOException e) {
                // a client that is not octo, or a broken one: say why, once, and hang up
                byte[] message = ("error: " + e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                frames.write(Frames.STDERR, message);
                frames.writeExit(Commands.USAGE);
                return;
            }
            if (argv == null) {
                return;
            }
            PipedOutputStream stdinWriter = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(stdinWriter, 64 * 1024);
            Thread command = new Thread(() -> {
                int code = commands.run(argv, Principal.LOCAL, new AskingInput(frames, stdin),
                        frames.output(Frames.STDOUT), frames.output(Frames.STDERR));
                try {
                    frames.writeExit(code);
                    client.shutdownOutput();
                } catch (IOException e) {
                    log.debug("API client went away before the exit code: {}", e.getMessage());
                }
            }, "api-command");
            command.setDaemon(true);
            command.start();
            pumpInput(frames, stdinWriter, command);
            command.join();
        } catch (IOException e) {
            log.debug("API client went away: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The arguments of the first frame, which must be ARGV; null when the client left without a word. */
    private static List<String> readArgv(Frames frames) throws IOException {
        Frames.Frame first = frames.read(Frames.MAX_CLIENT_FRAME);
        if (first == null) {
            return null;
        }
        if (first.type() != Frames.ARGV) {
            throw new IOException("the first frame must be ARGV ('A'), not " + (first.type() & 0xff));
        }
        return Frames.decodeArgv(first.payload());
    }

    private static void pumpInput(Frames frames, PipedOutputStream stdin, Thread command) throws IOException {
        boolean stdinOpen = true;
        while (command.isAlive()) {
            Frames.Frame frame;
            try {
                frame = frames.read(Frames.MAX_CLIENT_FRAME);
            } catch (IOException e) {
                frame = null;
            }
            if (frame == null) {
                command.interrupt();
                break;
            }
            if (frame.type() == Frames.STDIN && stdinOpen) {
                stdin.write(frame.payload());
                stdin.flush();
            } else if (frame.type() == Frames.STDIN_EOF && stdinOpen) {
                stdin.close();
                stdinOpen = false;
            }
        }
        if (stdinOpen) {
            stdin.close();
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
            Files.deleteIfExists(socketPath);
        }
    }

    /** Standard input, asked of the client only when a command first reads it. */
    private static final class AskingInput extends InputStream {
        private final Frames frames;
        private final InputStream piped;
        private boolean asked;

        AskingInput(Frames frames, InputStream piped) {
            this.frames = frames;
            this.piped = piped;
        }

        @Override
        public int read() throws IOException {
            ask();
            return piped.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            ask();
            return piped.read(b, off, len);
        }

        private void ask() throws IOException {
            if (!asked) {
                asked = true;
                frames.write(Frames.NEED_STDIN, new byte[0]);
            }
        }
    }
}
