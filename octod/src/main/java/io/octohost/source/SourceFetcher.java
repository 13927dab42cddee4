package io.octohost.source;

import io.octohost.app.AppName;
import io.octohost.app.BuildControl;
import io.octohost.app.Progress;
import io.octohost.app.SourceTree;

/** Fetches a source that was not pushed (a tarball URL, a git URL at a ref) as a tree to build. */
public interface SourceFetcher {
    /**
     * @throws io.octohost.app.UserError when the source cannot be fetched or holds no tree (the reason in one line)
     * @throws io.octohost.app.Stopped when the build was stopped meanwhile
     */
    SourceTree fetch(AppName app, Source source, Progress progress, BuildControl control);
}
