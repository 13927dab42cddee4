package io.octohost.deploy;

/** Deletes every source archive of the app, once its records are gone (destroy, or its branch deleted). */
final class ForgetArchives implements Step {
    private final ReleaseSources sources;

    ForgetArchives(ReleaseSources sources) {
        this.sources = sources;
    }

    @Override
    public void run(Deploy deploy) {
        sources.forget(deploy.app());
    }
}
