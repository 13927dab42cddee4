package io.octohost.deploy;

/** Deletes the app's source archives that none of its last --keep-releases releases shows. */
final class RetainArchives implements Step {
    private final ReleaseSources sources;

    RetainArchives(ReleaseSources sources) {
        this.sources = sources;
    }

    @Override
    public void run(Deploy deploy) {
        sources.retain(deploy.app());
    }
}
