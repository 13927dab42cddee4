package io.octohost.deploy;

import io.octohost.source.Source;
import io.octohost.source.SourceFetcher;

/** Fetches a source that was not pushed (a tarball URL, a git URL and ref) into a commit to build. */
final class FetchSource implements Step {
    private final Source source;
    private final SourceFetcher fetcher;

    FetchSource(Source source, SourceFetcher fetcher) {
        this.source = source;
        this.fetcher = fetcher;
    }

    @Override
    public String timing() {
        return "fetch";
    }

    @Override
    public void run(Deploy deploy) {
        deploy.progress().stage("Fetching " + source.describe());
        deploy.tree(fetcher.fetch(deploy.app(), source, deploy.progress(), deploy.control()));
    }
}
