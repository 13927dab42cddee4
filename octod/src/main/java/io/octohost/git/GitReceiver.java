package io.octohost.git;

import io.octohost.app.AppName;
import io.octohost.app.BranchName;
import io.octohost.app.Printable;
import io.octohost.app.UserError;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.auth.Principal;
import io.octohost.app.Progress;
import io.octohost.builds.Build;
import io.octohost.builds.Builds;
import io.octohost.deploy.Push;
import io.octohost.source.CommitTree;
import io.octohost.state.AppClaims;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.TooLargePackException;
import org.eclipse.jgit.errors.UnpackException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * Receives a push with JGit and hands each pushed branch, as a build, to the deploy pipeline in the
 * pre-receive hook: the pipeline checks the branch, deploys, and moves it only when the deploy
 * succeeded. A pusher who hangs up cancels the build. A push is refused whole when its pack is
 * larger than --max-push-size or (--git-fsck) an object fails git's checks; a repo left with no refs
 * (its last branch deleted) goes.
 */
public final class GitReceiver {
    private static final Logger log = LoggerFactory.getLogger(GitReceiver.class);
    /** The push option ({@code git push -o detach}) that hands the build off and returns at once. */
    static final String DETACH = "detach";
    private final Repos repos;
    private final AppClaims claims;
    private final Builds builds;
    private final ReceiveLimits limits;
    /** Per repo: a push into an existing repo reads it; creating or removing the repo writes it. */
    private final ConcurrentHashMap<AppName, ReentrantReadWriteLock> repoLocks = new ConcurrentHashMap<>();

    public GitReceiver(Repos repos, AppClaims claims, Builds builds, ReceiveLimits limits) {
        this.repos = repos;
        this.claims = claims;
        this.builds = builds;
        this.limits = limits;
    }

    /** Parses the path a git client asks for ({@code '/hello.git'}, {@code hello}) into a repo name. */
    public static AppName repoName(String path) {
        String name = path.startsWith("/") ? path.substring(1) : path;
        name = name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
        return AppName.of(name);
    }

    /**
     * One receive-pack exchange of a transport: it runs a ReceivePack, made by {@code receivePack} for
     * the repo, over its connection (SSH's streams; JGit's GitServlet for git's smart HTTP).
     */
    public interface Exchange {
        void run(Repository repo, Function<Repository, ReceivePack> receivePack) throws IOException;
    }

    /**
     * Serves one {@code git-receive-pack} exchange for {@code pusher}, who may push {@code repoName};
     * {@code hangUp} completes when the pusher's connection closes.
     */
    public void receive(AppName repoName, Principal pusher, InputStream in, OutputStream out, OutputStream err,
                        CompletionStage<?> hangUp) throws IOException {
        receive(repoName, pusher, hangUp, (repo, receivePack) -> receivePack.apply(repo).receive(in, out, err));
    }

    /**
     * Serves a receive-pack exchange of any transport: the repo (a staging repo for a first push, which
     * takes the app's name only if something was accepted), and ReceivePacks that deploy each pushed
     * branch in their pre-receive hook.
     */
    public void receive(AppName repoName, Principal pusher, CompletionStage<?> hangUp, Exchange exchange) throws IOException {
        // a first push receives into a staging repo: one at a time per name, so only one adopts it.
        // Pushes into an existing repo share it (they wait for each other on the app's lock, saying so)
        ReentrantReadWriteLock repoLock = repoLocks.computeIfAbsent(repoName, k -> new ReentrantReadWriteLock());
        repoLock.readLock().lock();
        boolean fresh = !repos.exists(repoName);
        if (fresh) {
            repoLock.readLock().unlock();
            repoLock.writeLock().lock();
            fresh = !repos.exists(repoName);
            if (!fresh) {
                repoLock.readLock().lock();
                repoLock.writeLock().unlock();
            }
        }
        Path staging = fresh ? repos.stage(repoName) : null;
        boolean keep = false;
        boolean emptied = false;
        try (Repository repo = fresh ? repos.openAt(staging) : repos.open(repoName)) {
            // no background gc after a receive: its lock files come and go while a repo left empty is removed
            repo.getConfig().setBoolean(ConfigConstants.CONFIG_RECEIVE_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOGC, false);
            try {
                exchange.run(repo, r -> receivePack(r, repoName, pusher, hangUp));
            } catch (UnpackException e) {
                throw refusal(repoName, e.getCause() == null ? e : e.getCause());
            }
            keep = fresh && !repo.getRefDatabase().getRefs().isEmpty();
            emptied = !fresh && repo.getRefDatabase().getRefs().isEmpty();
        } finally {
            if (fresh) {
                try {
                    if (keep) {
                        repos.adopt(staging, repoName);
                    } else {
                        repos.discard(staging);
                        repos.tidy();
                    }
                } finally {
                    repoLock.writeLock().unlock();
                }
            } else {
                repoLock.readLock().unlock();
            }
        }
        if (emptied) {
            removeIfEmpty(repoName, repoLock);
        }
    }

    private ReceivePack receivePack(Repository repo, AppName repoName, Principal pusher, CompletionStage<?> hangUp) {
        ReceivePack rp = new ReceivePack(repo);
        rp.setAllowNonFastForwards(true);
        rp.setAllowDeletes(true);
        rp.setMaxPackSizeLimit(limits.maxPushBytes());
        rp.setCheckReceivedObjects(limits.fsck());
        rp.setAllowPushOptions(true);
        rp.setPreReceiveHook((pack, commands) -> deployAll(repoName, pusher, pack, commands, hangUp));
        return rp;
    }

    /** A push whose pack JGit refused: too large, an object git's checks refuse, or a pack it could not store. */
    private UserError refusal(AppName repo, Throwable cause) {
        String message = Printable.of(String.valueOf(cause.getMessage()), 200);
        String why = cause instanceof TooLargePackException ? "the push is larger than --max-push-size (" + limits.maxPushBytes() + " bytes)"
                : cause instanceof CorruptObjectException ? "an object of the push fails git's checks: " + message
                : "the push could not be stored: " + message;
        log.info("push to {} refused: {}", repo, why);
        return new UserError(why);
    }

    /** Removes a repo whose last branch was deleted, unless a push brought new refs meanwhile. */
    private void removeIfEmpty(AppName repoName, ReentrantReadWriteLock repoLock) throws IOException {
        repoLock.writeLock().lock();
        try {
            boolean empty;
            try (Repository repo = repos.exists(repoName) ? repos.open(repoName) : null) {
                empty = repo != null && repo.getRefDatabase().getRefs().isEmpty() && claims.appsOf(repoName).isEmpty();
            }
            if (empty) {
                repos.discard(repos.pathOf(repoName));
                log.info("repo {} has no ref left: removed", repoName);
            }
        } finally {
            repoLock.writeLock().unlock();
        }
    }

    private void deployAll(AppName repo, Principal pusher, ReceivePack rp, Collection<ReceiveCommand> commands,
                           CompletionStage<?> hangUp) {
        Progress progress = new SidebandProgress(rp);
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
                continue;
            }
            try {
                handle(repo, pusher, rp, cmd, progress, hangUp);
            } catch (UserError e) {
                log.info("push of {} to {} rejected: {}", cmd.getRefName(), repo, e.getMessage());
                progress.line("error: " + e.getMessage());
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, e.getMessage());
            } catch (RuntimeException | IOException e) {
                String ref = UUID.randomUUID().toString().substring(0, 8);
                log.error("push of {} to {} failed [{}]", cmd.getRefName(), repo, ref, e);
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "internal error, see octod's log [" + ref + "]");
            }
        }
    }

    private void handle(AppName repo, Principal pusher, ReceivePack rp, ReceiveCommand cmd, Progress progress,
                        CompletionStage<?> hangUp) throws IOException {
        String ref = cmd.getRefName();
        if (ref.startsWith("refs/tags/")) {
            return; // tags are kept, and deploy nothing
        }
        if (!ref.startsWith("refs/heads/")) {
            throw new UserError("only branches and tags can be pushed, not " + ref);
        }
        String branch = BranchName.check(ref.substring("refs/heads/".length()));
        AppName app = claims.appFor(repo, branch);
        AppClaims.Owner owner = new AppClaims.Owner(repo, branch);
        PushedBranch pushed = new PushedBranch(rp, cmd);
        if (cmd.getType() == ReceiveCommand.Type.DELETE) {
            if (app.equals(repo)) {
                // the main branch's app is the app itself: deleting it is apps:destroy; a branch app's stays a push
                Permissions.require(pusher, Action.destroy(app));
            }
            builds.deleteBranch(app, owner, pushed, progress);
            return;
        }
        RevCommit commit = rp.getRevWalk().parseCommit(cmd.getNewId());
        log.info("{} pushes {} of {} as {}", pusher.name(), commit.name(), repo, app);
        CommitTree tree = new CommitTree(rp.getRepository().getDirectory().toPath(), commit);
        if (rp.getPushOptions() != null && rp.getPushOptions().contains(DETACH)) {
            Build build = builds.pushDetached(new Push(app, owner, tree, pusher.name(), new DetachedBranch(repos, repo, cmd)));
            progress.stage("build " + build.id() + " of " + app + " queued; " + Repository.shortenRefName(cmd.getRefName())
                    + " moves when it succeeds. Follow it: octo builds:logs " + app + " " + build.id() + " -f");
            cmd.setResult(ReceiveCommand.Result.OK);
            return;
        }
        builds.push(new Push(app, owner, tree, pusher.name(), pushed), progress, hangUp);
    }

    /** Writes progress as {@code remote:} lines, flushed at once so the pusher sees them as they happen. */
    private static final class SidebandProgress implements Progress {
        private final ReceivePack rp;

        SidebandProgress(ReceivePack rp) {
            this.rp = rp;
        }

        @Override
        public synchronized void stage(String text) {
            send("-----> " + text);
        }

        @Override
        public synchronized void line(String text) {
            send("       " + text);
        }

        private void send(String text) {
            rp.sendMessage(text);
            try {
                rp.getMessageOutputStream().flush();
            } catch (IOException e) {
                // the pusher went away; the deploy goes on and its result is kept
            }
        }
    }
}
