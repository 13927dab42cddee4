package io.octohost.http;

import io.octohost.cli.Frames;
import io.octohost.command.Commands;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code POST /v1/commands}: an octo command line run for the token's principal, through the same
 * command tree (and the same permission check) as the API socket and SSH. The request body is the
 * socket's frames: ARGV, then standard input (STDIN frames, STDIN_EOF); the answer is frames too,
 * STDOUT and STDERR as the command writes them, EXIT last. This is what octo sends once logged in.
 */
final class CommandEndpoint {
    static final String FRAMES = "application/vnd.octohost.frames";
    private final Commands commands;

    CommandEndpoint(Commands commands) {
        this.commands = commands;
    }

    List<Route> routes() {
        return List.of(Route.post("/v1/commands", this::run));
    }

    private void run(Exchange ex) throws IOException {
        List<String> argv;
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        try {
            Frames request = new Frames(ex.bodyStream(), null);
            Frames.Frame first = request.read(Frames.MAX_CLIENT_FRAME);
            if (first == null || first.type() != Frames.ARGV) {
                throw new ApiError(400, "the body starts with an ARGV frame");
            }
            argv = Frames.decodeArgv(first.payload());
            for (Frames.Frame f = request.read(Frames.MAX_CLIENT_FRAME); f != null && f.type() == Frames.STDIN;
                 f = request.read(Frames.MAX_CLIENT_FRAME)) {
                stdin.write(f.payload());
                if (stdin.size() > Exchange.MAX_BODY) {
                    throw new ApiError(413, "standard input is larger than " + (Exchange.MAX_BODY >> 10) + " KiB");
                }
            }
        } catch (IOException e) {
            throw new ApiError(400, "the body is not octo's frames: " + e.getMessage());
        }
        OutputStream body = ex.stream(FRAMES);
        Frames answer = new Frames(null, body);
        int code = commands.run(argv, ex.principal(), new ByteArrayInputStream(stdin.toByteArray()),
                answer.output(Frames.STDOUT), answer.output(Frames.STDERR));
        answer.writeExit(code);
        body.flush();
    }
}
