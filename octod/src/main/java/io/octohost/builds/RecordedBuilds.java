package io.octohost.builds;

import io.octohost.app.AppName;
import io.octohost.app.BuildId;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * The builds octod has recorded, read-only: what the API serves until the deploy pipeline takes
 * builds (starting and stopping them answer 501 until then).
 */
public final class RecordedBuilds implements BuildService {
    private final BuildStore store;

    public RecordedBuilds(BuildStore store) {
        this.store = store;
    }

    @Override
    public Build submit(BuildRequest request) {
        throw new UnsupportedOperationException("builds over the API are not available on this octod yet");
    }

    @Override
    public Build cancel(AppName app, BuildId id) {
        throw new UnsupportedOperationException("builds over the API are not available on this octod yet");
    }

    @Override
    public Optional<Build> find(AppName app, BuildId id) {
        return store.find(app, id);
    }

    @Override
    public List<Build> list(AppName app) {
        return store.list(app);
    }

    @Override
    public void writeLog(AppName app, BuildId id, boolean follow, OutputStream out) throws IOException {
        store.writeLog(app, id, follow, out);
    }
}
