package io.octohost.deploy;

/**
 * Keeps the source the deploy built as its release's archive, once the build is healthy and before the
 * release is recorded, so every recorded build has its source. A deploy of an image has no tree: nothing.
 */
final class ArchiveSource implements Step {
    private final ReleaseSources sources;

    ArchiveSource(ReleaseSources sources) {
        this.sources = sources;
    }

    @Override
    public String timing() {
        return "archive";
    }

    @Override
    public void run(Deploy deploy) {
        if (deploy.tree() != null) {
            sources.store(deploy.app(), deploy.release().number(), deploy.tree());
        }
    }

    @Override
    public void undo(Deploy deploy) {
        if (deploy.tree() != null) {
            sources.discardUnreleased(deploy.app(), deploy.release().number());
        }
    }
}
