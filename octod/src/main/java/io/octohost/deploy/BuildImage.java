package io.octohost.deploy;

import io.octohost.app.SourceTree;
import io.octohost.app.UserError;
import io.octohost.build.BuiltImage;
import io.octohost.build.ImageBuilder;

import java.util.concurrent.Semaphore;

/**
 * Builds the pushed tree's Dockerfile, in one of the --max-parallel-builds slots. Undone, the image
 * goes again: no release will run it, so retention never would delete it.
 */
final class BuildImage implements Step {
    private final SourceTree tree;
    private final ImageBuilder builder;
    private final Semaphore slots;
    private final int slotCount;
    private final ImageRetention retention;

    BuildImage(SourceTree tree, ImageBuilder builder, Semaphore slots, int slotCount, ImageRetention retention) {
        this.tree = tree;
        this.builder = builder;
        this.slots = slots;
        this.slotCount = slotCount;
        this.retention = retention;
    }

    @Override
    public String timing() {
        return "build";
    }

    @Override
    public void run(Deploy deploy) {
        if (tree.file("Dockerfile").isEmpty()) {
            throw new UserError("no Dockerfile at the root of " + tree.commit().shortSha());
        }
        if (!slots.tryAcquire()) {
            deploy.progress().line("waiting for a build slot (--max-parallel-builds " + slotCount + ")");
            slots.acquireUninterruptibly();
        }
        try {
            deploy.progress().stage("Building " + deploy.app() + " (" + tree.commit().shortSha() + ")");
            BuiltImage image = builder.build(deploy.app(), tree, deploy.progress());
            deploy.image(tree.commit(), image.id(), image.exposedPort());
        } catch (UserError e) {
            builder.pruneDangling();
            throw e;
        } finally {
            slots.release();
        }
    }

    @Override
    public void undo(Deploy deploy) {
        if (deploy.imageId() != null) {
            retention.discardUnreleased(deploy.app(), deploy.imageId());
        }
    }
}
