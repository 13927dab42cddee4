package io.octohost.http;

import io.octohost.app.Json;
import io.octohost.auth.Tokens;
import io.octohost.builds.BuildService;
import io.octohost.command.AppDirectory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.Map;

/**
 * octod's HTTP API: Jetty 12 with the ee10 (jakarta servlet 6) environment, so that JGit's GitServlet
 * and a WebSocket endpoint can be mounted beside the API servlet later. Every answer is JSON, errors
 * too, even those Jetty writes itself (a malformed request line).
 */
public final class HttpApi implements AutoCloseable {
    /** A connection with no request, or a request whose client sends nothing, is closed after this. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;

    /** The API with login, octo commands over HTTP and git's smart HTTP at /git/APP.git. */
    public HttpApi(InetSocketAddress listen, AppDirectory apps, BuildService builds, Tokens tokens, Sessions sessions, Github github) {
        this(listen);
        serve(apps, builds, tokens, sessions, github);
    }

    HttpApi(InetSocketAddress listen, List<Route> routes, Tokens tokens) {
        this(listen, routes, tokens, IDLE_TIMEOUT);
    }

    HttpApi(InetSocketAddress listen, List<Route> routes, Tokens tokens, Duration idleTimeout) {
        this(listen, idleTimeout);
        serve(routes, tokens);
    }

    /**
     * The server alone, serving nothing until {@link #serve} is called (before {@link #start}): Jetty takes
     * ~0.2 s to make, which octod spends on another thread while it reads its state.
     */
    public HttpApi(InetSocketAddress listen) {
        this(listen, IDLE_TIMEOUT);
    }

    private HttpApi(InetSocketAddress listen, Duration idleTimeout) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http-api");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(listen.getHostString());
        connector.setPort(listen.getPort());
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        context = new ServletContextHandler("/");
        context.setErrorHandler(new JsonErrors());
        server.setHandler(context);
        server.setErrorHandler(new JsonErrors());
        server.setStopTimeout(2000);
    }

    /** Serves login, octo commands over HTTP and git's smart HTTP at /git/APP.git. */
    public HttpApi serve(AppDirectory apps, BuildService builds, Tokens tokens, Sessions sessions, Github github) {
        serve(ApiRoutes.table(apps, builds, github, tokens, sessions), tokens);
        GitHttp.mount(context, new TokenAuth(tokens), sessions.receiver(), sessions.repos());
        return this;
    }

    private void serve(List<Route> routes, Tokens tokens) {
        context.addServlet(new ServletHolder("api", new ApiServlet(routes, new TokenAuth(tokens))), "/*");
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port it listens on (the one chosen, when it was asked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops, giving requests under way two seconds; streams still open then (a followed log) are cut. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } catch (TimeoutException e) {
            // the graceful part ran out of time; the server has stopped all the same
        }
    }

    /** Jetty's own error answers (a bad request line, a header too large) as {@code {"error": ...}}. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            String text = message == null || message.isBlank() ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message;
            response.getHeaders().put("Content-Type", "application/json");
            response.write(true, ByteBuffer.wrap(Json.write(Map.of("error", text)).getBytes(StandardCharsets.UTF_8)), callback);
        }
    }
}
