package io.octohost.git;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.deploy.Deployer;
import io.octohost.deploy.Progress;
import io.octohost.deploy.Removal;
import io.octohost.state.AppClaims;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Receives a push with JGit and deploys each pushed branch before its ref is accepted
 * (a pre-receive hook): a ref moves only when its deploy succeeded.
 */
public final class GitReceiver {
    private static final Logger log = LoggerFactory.getLogger(GitReceiver.class);
    private final Repos repos;
    private final AppClaims claims;
    private final Deployer deployer;
    private final Removal apps;
    private final ConcurrentHashMap<AppName, ReentrantLock> repoLocks = new ConcurrentHashMap<>();

    public GitReceiver(Repos repos, AppClaims claims, Deployer deployer, Removal apps) {
        this.repos = repos;
        this.claims = claims;
        this.deployer = deployer;
        this.apps = apps;
    }

    /** Parses the path a git client asks for ({@code '/hello.git'}, {@code hello}) into a repo name. */
    public static AppName repoName(String path) {
        String name = path.startsWith("/") ? path.substring(1) : path;
        name = name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
        return AppName.of(name);
    }

    /** Serves one {@code git-receive-pack} exchange; {@code pusher} names the key, for the log. */
    public void receive(AppName repoName, String pusher, InputStream in, OutputStream out, OutputStream err)
            throws IOException {
        // a first push receives into a staging repo: one at a time per name, so only one adopts it
        ReentrantLock repoLock = repoLocks.computeIfAbsent(repoName, k -> new ReentrantLock());
        repoLock.lock();
        boolean fresh = !repos.exists(repoName);
        if (!fresh) {
            repoLock.unlock();
        }
        Path staging = fresh ? repos.stage(repoName) : null;
        boolean keep = false;
        List<AppName> locked = new ArrayList<>();
        try (Repository repo = fresh ? repos.openAt(staging) : repos.open(repoName)) {
            ReceivePack rp = new ReceivePack(repo);
            rp.setAllowNonFastForwards(true);
            rp.setAllowDeletes(true);
            rp.setCheckReceivedObjects(true);
            rp.setPreReceiveHook((pack, commands) -> deployAll(repoName, pusher, pack, commands, locked));
            rp.receive(in, out, err);
            keep = fresh && !repo.getRefDatabase().getRefs().isEmpty();
        } finally {
            // held from the check of each ref to its update, so no other deploy of the app slips between
            locked.forEach(deployer::unlock);
            if (fresh) {
                try {
                    if (keep) {
                        repos.adopt(staging, repoName);
                    } else {
                        repos.discard(staging);
                        repos.tidy();
                    }
                } finally {
                    repoLock.unlock();
                }
            }
        }
    }

    private void deployAll(AppName repo, String pusher, ReceivePack rp, Collection<ReceiveCommand> commands,
                           List<AppName> locked) {
        Progress progress = new SidebandProgress(rp);
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
                continue;
            }
            try {
                handle(repo, pusher, rp, cmd, progress, locked);
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

    private void handle(AppName repo, String pusher, ReceivePack rp, ReceiveCommand cmd, Progress progress,
                        List<AppName> locked) throws IOException {
        String ref = cmd.getRefName();
        if (ref.startsWith("refs/tags/")) {
            return; // tags are kept, and deploy nothing
        }
        if (!ref.startsWith("refs/heads/")) {
            throw new UserError("only branches and tags can be pushed, not " + ref);
        }
        String branch = ref.substring("refs/heads/".length());
        AppName app = claims.appFor(repo, branch);
        AppClaims.Owner owner = new AppClaims.Owner(repo, branch);
        deployer.lock(app, progress);
        locked.add(app);
        Ref now = rp.getRepository().exactRef(ref);
        ObjectId current = now == null ? ObjectId.zeroId() : now.getObjectId();
        if (!current.equals(cmd.getOldId())) {
            throw new UserError("stale info: " + branch + " moved to " + current.abbreviate(7).name()
                    + " while this push waited; fetch and push again");
        }
        if (cmd.getType() == ReceiveCommand.Type.DELETE) {
            if (claims.owner(app).filter(owner::equals).isPresent()) {
                apps.remove(app, progress);
            }
            return;
        }
        Runnable unclaim = claims.claim(app, owner);
        RevCommit commit = rp.getRevWalk().parseCommit(cmd.getNewId());
        log.info("{} pushes {} of {} as {}", pusher, commit.name(), repo, app);
        try {
            deployer.deploy(app, new PushedTree(rp.getRepository(), commit), progress, pusher);
        } catch (RuntimeException e) {
            unclaim.run();
            throw e;
        }
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
