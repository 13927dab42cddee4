package io.octohost.git;

import io.octohost.app.AppName;
import io.octohost.app.BranchName;
import io.octohost.app.BuildId;
import io.octohost.app.Credentials;
import io.octohost.app.Progress;
import io.octohost.app.UserError;
import io.octohost.app.WrongState;
import io.octohost.builds.Build;
import io.octohost.builds.Builds;
import io.octohost.builds.Trigger;
import io.octohost.callbacks.CallbackTarget;
import io.octohost.deploy.BranchUpdate;
import io.octohost.deploy.Push;
import io.octohost.source.FetchIntoRepo;
import io.octohost.source.Source;
import io.octohost.state.AppClaims;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pushes made on GitHub, deployed as the same push to octod would be: the pushed commit is fetched
 * from the project's clone URL into the repo of the project's app, and goes through the pipeline as
 * a push of that branch (the default branch deploys the app, another branch {@code APP-BRANCH} with
 * the app's config inherited); a deleted branch removes its branch app. GitHub holds the branch:
 * the newest push moves octod's copy of it, whatever it pointed at.
 */
public final class RemotePushes {
    private static final Logger log = LoggerFactory.getLogger(RemotePushes.class);
    private final Repos repos;
    private final AppClaims claims;
    private final Builds builds;
    private final FetchIntoRepo fetcher;
    private final ExecutorService deletions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "branch-deletions");
        t.setDaemon(true);
        return t;
    });

    public RemotePushes(Repos repos, AppClaims claims, Builds builds) {
        this.repos = repos;
        this.claims = claims;
        this.builds = builds;
        this.fetcher = new FetchIntoRepo(repos::pathOf);
    }

    /** The app a push of {@code branch} to the repo {@code repo} deploys. */
    public AppName appFor(AppName repo, String branch) {
        return claims.appFor(repo, BranchName.check(branch));
    }

    /**
     * Queues the build of commit {@code sha} of {@code branch}, fetched from {@code cloneUrl} (with the
     * token as the password of an https URL), and returns its record at once.
     */
    public Build push(BuildId id, AppName repo, String branch, String sha, URI cloneUrl, Optional<String> token,
                      List<CallbackTarget> statuses, String by) {
        AppName app = appFor(repo, branch);
        if (!ObjectId.isId(sha)) {
            throw new UserError("'" + sha + "' is not a full commit id");
        }
        Optional<Credentials> credentials = "https".equals(cloneUrl.getScheme())
                ? token.map(t -> new Credentials("x-access-token", t)) : Optional.empty();
        Source.Git source = new Source.Git(cloneUrl, sha, credentials);
        log.info("{} pushes {} of {} as {}", by, sha, repo, app);
        return builds.push(id, app, Trigger.WEBHOOK, by, source, statuses, (progress, control) -> {
            ensureRepo(repo);
            progress.stage("Fetching " + source.describe());
            return new Push(app, new AppClaims.Owner(repo, branch), fetcher.fetch(repo, source, progress, control), by,
                    new RefMove(repo, branch, ObjectId.fromString(sha)));
        });
    }

    /**
     * Removes the app a deleted branch deployed, in the background; the default branch's app is the
     * app itself, which only {@code octo apps:destroy} removes.
     * @return the app being removed
     */
    public AppName delete(AppName repo, String branch, String by) {
        AppName app = appFor(repo, branch);
        if (app.equals(repo)) {
            throw new WrongState("the deleted branch " + branch + " deploys " + app + " itself: remove it with octo apps:destroy");
        }
        deletions.execute(() -> {
            try {
                builds.deleteBranch(app, new AppClaims.Owner(repo, branch), new RefMove(repo, branch, null), Progress.SILENT);
                log.info("{} deleted {} of {}: {} removed", by, branch, repo, app);
            } catch (RuntimeException e) {
                log.warn("{} deleted {} of {}, but {} could not be removed: {}", by, branch, repo, app, e.getMessage());
            }
        });
        return app;
    }

    /** The repo a webhook's first build fetches into, made empty when no push made it yet. */
    private synchronized void ensureRepo(AppName repo) {
        if (!repos.exists(repo)) {
            repos.adopt(repos.stage(repo), repo);
        }
    }

    /** Moves octod's copy of the branch to {@code to}, or deletes it ({@code to} null). */
    private final class RefMove implements BranchUpdate {
        private final AppName repo;
        private final String branch;
        private final ObjectId to;

        RefMove(AppName repo, String branch, ObjectId to) {
            this.repo = repo;
            this.branch = branch;
            this.to = to;
        }

        @Override
        public void checkUnmoved() {
            // GitHub holds the branch: octod's copy follows the newest push, whatever it was
        }

        @Override
        public void apply() {
            if (!repos.exists(repo)) {
                return;
            }
            try (Repository r = repos.open(repo)) {
                RefUpdate update = r.updateRef("refs/heads/" + branch);
                update.setForceUpdate(true);
                RefUpdate.Result result;
                if (to == null) {
                    result = update.delete();
                } else {
                    update.setNewObjectId(to);
                    result = update.update();
                }
                if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE || result == RefUpdate.Result.REJECTED) {
                    log.warn("{} of {} could not be moved: {}", branch, repo, result);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
