package io.octohost.http;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.git.GitReceiver;
import io.octohost.git.Repos;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * git's smart HTTP at {@code /git/APP.git}, served by JGit's GitServlet on the API's Jetty. Basic auth
 * with a token as the password; a push goes through the same {@link GitReceiver} as over SSH (the
 * same deploy in the pre-receive hook, roles, progress lines and rejections); fetch and clone are
 * for admins only ({@link Action#fetch}).
 */
final class GitHttp {
    static final String PATH = "/git/";
    private static final Logger log = LoggerFactory.getLogger(GitHttp.class);
    private static final String REPO = GitHttp.class.getName() + ".repo";
    private static final String RECEIVE_PACK = GitHttp.class.getName() + ".receivePack";

    private GitHttp() {
    }

    static void mount(ServletContextHandler context, TokenAuth auth, GitReceiver receiver, Repos repos) {
        GitServlet git = new GitServlet();
        git.setRepositoryResolver((req, name) -> {
            Repository pushedTo = (Repository) req.getAttribute(REPO);
            if (pushedTo != null) {
                pushedTo.incrementOpen(); // GitServlet closes what it resolved; the receiver closes it too
                return pushedTo;
            }
            AppName app = repoOf(name).orElseThrow(() -> new RepositoryNotFoundException(name));
            if (!repos.exists(app)) {
                throw new RepositoryNotFoundException(name);
            }
            return repos.open(app);
        });
        git.setReceivePackFactory((req, db) -> receivePackOf(req).apply(db));
        context.addServlet(new ServletHolder("git", git), PATH + "*");
        context.addFilter(new FilterHolder(new Guard(auth, receiver)), PATH + "*", EnumSet.of(DispatcherType.REQUEST));
    }

    @SuppressWarnings("unchecked")
    private static Function<Repository, ReceivePack> receivePackOf(HttpServletRequest req) {
        return (Function<Repository, ReceivePack>) req.getAttribute(RECEIVE_PACK);
    }

    private static java.util.Optional<AppName> repoOf(String name) {
        try {
            return java.util.Optional.of(GitReceiver.repoName(name));
        } catch (UserError e) {
            return java.util.Optional.empty();
        }
    }

    /** Authenticates, checks the principal may push (or fetch) the repo, and runs a push inside the receiver. */
    private record Guard(TokenAuth auth, GitReceiver receiver) implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse rsp = (HttpServletResponse) response;
            String rest = req.getRequestURI().substring(req.getContextPath().length() + PATH.length());
            java.util.Optional<AppName> repo = repoOf(rest.split("/", 2)[0]);
            if (repo.isEmpty()) {
                rsp.sendError(404, "no such repository: use /git/APP.git");
                return;
            }
            boolean push = "git-receive-pack".equals(req.getParameter("service")) || rest.endsWith("/git-receive-pack");
            TokenAuth.Outcome who = auth.authenticate(req);
            if (who.refusal() != null) {
                // git asks without credentials first, every time: only a refused credential is worth a log line
                if (who.refusal() == TokenAuth.Refusal.NO_CREDENTIALS) {
                    log.debug("asked {} {} from {} for credentials", req.getMethod(), req.getRequestURI(), req.getRemoteAddr());
                } else {
                    log.info("refused {} {} from {}: {}", req.getMethod(), req.getRequestURI(), req.getRemoteAddr(), who.refusal().text);
                }
                rsp.setHeader("WWW-Authenticate", TokenAuth.CHALLENGE_BASIC);
                rsp.sendError(401, "authentication required: a token as the password (octo login)");
                return;
            }
            try {
                Permissions.require(who.principal(), push ? Action.push(repo.get()) : Action.fetch(repo.get()));
            } catch (Permissions.Forbidden e) {
                log.info("refused {} {}: {}", req.getMethod(), req.getRequestURI(), e.getMessage());
                rsp.sendError(403, e.getMessage());
                return;
            }
            if (!push) {
                chain.doFilter(request, response);
                return;
            }
            try {
                receiver.receive(repo.get(), who.principal(), new CompletableFuture<>(), (db, receivePack) -> {
                    req.setAttribute(REPO, db);
                    req.setAttribute(RECEIVE_PACK, receivePack);
                    try {
                        chain.doFilter(request, response);
                    } catch (ServletException e) {
                        throw new IOException(e);
                    }
                });
            } catch (UserError e) {
                if (!rsp.isCommitted()) {
                    rsp.sendError(400, e.getMessage());
                }
            }
        }
    }
}
