package io.octohost.source;

import io.octohost.app.BuildControl;
import io.octohost.app.Credentials;
import io.octohost.app.Progress;
import io.octohost.app.UserError;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Fetches a git URL's ref (a branch, a tag, {@code HEAD}, a full ref name, or a full commit id) into
 * the app's repo with JGit: the objects stay, no ref does.
 */
final class GitFetch {
    private static final int TIMEOUT_SECONDS = 60;

    private GitFetch() {
    }

    static ObjectId fetchInto(Repository repo, Source.Git source, Progress progress, BuildControl control) {
        String ref = source.ref();
        try (Transport transport = Transport.open(repo, new URIish(source.repository().toString()))) {
            source.credentials().ifPresent(c -> transport.setCredentialsProvider(new UsernamePasswordCredentialsProvider(c.user(), c.password())));
            transport.setTimeout(TIMEOUT_SECONDS);
            ProgressMonitor stoppable = new Stoppable(control);
            ObjectId fetched = ObjectId.isId(ref) ? fetchCommit(repo, transport, ref, stoppable)
                    : fetchRef(transport, advertised(transport, ref).orElseThrow(() -> new UserError("no branch or tag '" + ref
                            + "' in " + source.describe())), stoppable);
            try (RevWalk walk = new RevWalk(repo)) {
                ObjectId commit = walk.parseCommit(fetched).copy();
                progress.line("fetched " + ref + " of " + Credentials.redact(source.repository()));
                return commit;
            }
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            throw new UserError("'" + ref + "' is not a commit of " + source.describe());
        } catch (IOException | URISyntaxException e) {
            control.check();
            throw new UserError("cannot fetch " + source.describe() + ": " + Credentials.redact(String.valueOf(e.getMessage())));
        }
    }

    /** The name the remote advertises for {@code ref}: itself (HEAD, refs/...), else a branch, else a tag. */
    private static Optional<String> advertised(Transport transport, String ref) throws IOException {
        Map<String, Ref> refs;
        try (FetchConnection connection = transport.openFetch()) {
            refs = connection.getRefsMap();
        }
        return Stream.of(ref, "refs/heads/" + ref, "refs/tags/" + ref).filter(refs::containsKey).findFirst();
    }

    private static ObjectId fetchRef(Transport transport, String name, ProgressMonitor monitor) throws IOException {
        FetchResult result = transport.fetch(monitor, List.of(new RefSpec(name)));
        Ref ref = result.getAdvertisedRef(name);
        return ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
    }

    /** A commit by id: every branch and tag is fetched under a ref of its own, which is deleted once the commit is there. */
    private static ObjectId fetchCommit(Repository repo, Transport transport, String id, ProgressMonitor monitor) throws IOException {
        String scratch = "refs/octod-fetch/" + UUID.randomUUID() + "/";
        try {
            transport.fetch(monitor, List.of(new RefSpec("+refs/heads/*:" + scratch + "heads/*"),
                    new RefSpec("+refs/tags/*:" + scratch + "tags/*")));
            return ObjectId.fromString(id);
        } finally {
            for (Ref r : repo.getRefDatabase().getRefsByPrefix(scratch)) {
                RefUpdate delete = repo.updateRef(r.getName());
                delete.setForceUpdate(true);
                delete.delete();
            }
        }
    }

    /** Shows nothing, and tells JGit to give up once the build is stopped. */
    private record Stoppable(BuildControl control) implements ProgressMonitor {
        @Override
        public void start(int totalTasks) {
        }

        @Override
        public void beginTask(String title, int totalWork) {
        }

        @Override
        public void update(int completed) {
        }

        @Override
        public void endTask() {
        }

        @Override
        public boolean isCancelled() {
            return control.stopped().isPresent();
        }

        @Override
        public void showDuration(boolean enabled) {
        }
    }
}
