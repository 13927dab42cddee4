package io.octohost.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import io.octohost.app.Printable;
import io.octohost.app.UserError;

import java.io.IOException;
import java.net.URI;
import java.util.function.Supplier;

/**
 * The transport to the Docker engine, which outlives the engine's restarts. The pool of connections
 * docker-java keeps never checks them: after the engine restarted, each is dead. So when a request
 * fails on the wire, the pool is replaced and a request that can be sent again (no streamed body)
 * is, once; what still fails is said in one line, a user error every caller reports, where
 * docker-java would throw an unchecked I/O exception that reads as a bug. A streamed request (a
 * build's context) cannot be sent again, so a ping goes first: a dead connection fails there, and the
 * pool hands the ping's live connection (last used, first reused) to the stream.
 */
final class ReportingTransport implements DockerHttpClient {
    private final Supplier<DockerHttpClient> connect;
    private final URI host;
    private volatile DockerHttpClient http;

    ReportingTransport(Supplier<DockerHttpClient> connect, URI host) {
        this.connect = connect;
        this.host = host;
        this.http = connect.get();
    }

    private static final Request PING = Request.builder().method(Request.Method.GET).path("/_ping").build();

    @Override
    public Response execute(Request request) {
        if (!repeatable(request)) {
            execute(PING).close();
        }
        DockerHttpClient used = http;
        try {
            return used.execute(request);
        } catch (RuntimeException e) {
            IOException io = ioCause(e);
            if (io == null) {
                throw e;
            }
            reconnect(used);
            if (repeatable(request)) {
                try {
                    return http.execute(request);
                } catch (RuntimeException again) {
                    if (ioCause(again) == null) {
                        throw again;
                    }
                    throw unreachable(ioCause(again), again);
                }
            }
            throw unreachable(io, e);
        }
    }

    private static boolean repeatable(Request request) {
        return request.hijackedInput() == null && (request.bodyBytes() != null || request.body() == null);
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    private UserError unreachable(IOException io, RuntimeException e) {
        return new UserError("the Docker engine at " + host + " cannot be reached: " + Printable.of(String.valueOf(io.getMessage()), 120), e);
    }

    /** A new pool in place of the one that failed (unless another thread replaced it already). */
    private synchronized void reconnect(DockerHttpClient failed) {
        if (http == failed) {
            http = connect.get();
            try {
                failed.close();
            } catch (IOException ignored) {
                // the old pool's connections are dead anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
