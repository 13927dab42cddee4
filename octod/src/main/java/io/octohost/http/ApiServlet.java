package io.octohost.http;

import io.octohost.app.Conflict;
import io.octohost.app.NotFound;
import io.octohost.app.UserError;
import io.octohost.app.WrongState;
import io.octohost.auth.Permissions;
import io.octohost.state.StateUnavailable;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.util.URIUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Serves the route table: finds the route, checks the token (401 with a challenge, the attempt logged
 * without the token), runs the handler, and turns what it throws into a status a client can act on:
 * 400 bad input (the field named), 401, 403, 404, 405, 409, 413, 422, 503 (the state store is
 * down: worth a retry); anything else is a bug, logged with a reference that the client gets.
 */
final class ApiServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);
    /** The status of each kind of error, the first that matches wins: the kinds of UserError before UserError. */
    private static final List<Map.Entry<Class<? extends Exception>, Integer>> STATUSES = List.of(
            Map.entry(Permissions.Forbidden.class, 403), Map.entry(NotFound.class, 404), Map.entry(Conflict.class, 409),
            Map.entry(WrongState.class, 422), Map.entry(StateUnavailable.class, 503), Map.entry(UserError.class, 400));
    private final List<Route> routes;
    private final TokenAuth auth;

    ApiServlet(List<Route> routes, TokenAuth auth) {
        this.routes = List.copyOf(routes);
        this.auth = auth;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        List<String> segments = Arrays.stream(request.getRequestURI().substring(1).split("/", -1)).map(URIUtil::decodePath).toList();
        List<Route> onPath = routes.stream().filter(r -> r.match(segments).isPresent()).toList();
        Optional<Route> route = onPath.stream().filter(r -> r.method().equals(method)).findFirst();
        try {
            if (onPath.isEmpty()) {
                throw new ApiError(404, "no such endpoint: " + method + " " + request.getRequestURI());
            }
            if (route.isEmpty()) {
                response.setHeader("Allow", String.join(", ", onPath.stream().map(Route::method).toList()));
                throw new ApiError(405, method + " is not allowed on " + request.getRequestURI());
            }
            Map<String, String> params = route.get().match(segments).orElseThrow();
            TokenAuth.Outcome who = route.get().isOpen() ? new TokenAuth.Outcome(null, null) : auth.authenticate(request);
            if (who.refusal() != null) {
                log.info("refused {} {} from {}: {}", method, request.getRequestURI(), request.getRemoteAddr(), who.refusal().text);
                response.addHeader("WWW-Authenticate", TokenAuth.CHALLENGE_BEARER);
                response.addHeader("WWW-Authenticate", TokenAuth.CHALLENGE_BASIC);
                throw new ApiError(401, "authentication required: send an API token as 'Authorization: Bearer TOKEN'"
                        + " or as the password of basic auth (octo tokens:create)");
            }
            route.get().handler().handle(new Exchange(request, response, params, who.principal()));
        } catch (Exception e) {
            fail(request, response, e);
        }
    }

    private static void fail(HttpServletRequest request, HttpServletResponse response, Exception e) throws IOException {
        if (response.isCommitted() && e instanceof org.eclipse.jetty.io.EofException) {
            // the client went while a stream was under way (a page closed, a followed log it stopped reading): not a bug
            log.info("{} {} ended early: the client went", request.getMethod(), request.getRequestURI());
            return;
        }
        int status = status(e);
        String message = e.getMessage();
        if (status == 500) {
            String ref = UUID.randomUUID().toString().substring(0, 8);
            // the exception's type and stack only: its message may carry what the request sent
            log.error("{} {} failed [{}]", request.getMethod(), request.getRequestURI(), ref, io.octohost.app.Redacted.of(e));
            message = "internal error, see octod's log [" + ref + "]";
        } else if (status == 403) {
            log.info("refused {} {}: {}", request.getMethod(), request.getRequestURI(), message);
        }
        if (response.isCommitted()) {
            // a stream was under way: the client sees it end early
            log.info("{} {} ended early: {}", request.getMethod(), request.getRequestURI(), message);
            return;
        }
        readRestOfBody(request);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        io.octohost.app.Json.MAPPER.writeValue(response.getOutputStream(), Map.of("error", message));
    }

    /**
     * Reads, and drops, what the route left of a body of at most {@link Exchange#MAX_BODY} bytes (a request
     * refused before its body was read): Jetty closes a connection whose body is still on its way, and a client
     * still sending it then gets a reset instead of the answer. A larger body, or one of no stated length, is
     * not waited for: Jetty closes its connection after the answer.
     */
    private static void readRestOfBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length <= 0 || length > Exchange.MAX_BODY) {
            return;
        }
        try {
            request.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went, or stopped sending: the answer goes out all the same, and Jetty closes the connection
        }
    }

    private static int status(Exception e) {
        if (e instanceof ApiError a) {
            return a.status();
        }
        return STATUSES.stream().filter(s -> s.getKey().isInstance(e)).mapToInt(Map.Entry::getValue).findFirst().orElse(500);
    }
}
