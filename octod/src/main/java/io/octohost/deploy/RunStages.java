package io.octohost.deploy;

import io.octohost.app.BuildSpec;
import io.octohost.app.UserError;
import io.octohost.build.ImageSandbox;

/**
 * Runs the build file's stages in order, each in a fresh container of the new image with the app's
 * environment, its output prefixed with its name. A stage that exits non-zero or runs past its
 * timeout fails the build: nothing is switched, the running version keeps serving. Nothing to undo:
 * each stage's container is gone when it ends.
 */
final class RunStages implements Step {
    private final ImageSandbox sandbox;
    /** Made for one deploy: whether it had stages to time. */
    private boolean ran;

    RunStages(ImageSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public String timing() {
        return ran ? "stages" : null;
    }

    @Override
    public void run(Deploy deploy) {
        ran = !deploy.buildSpec().stages().isEmpty();
        for (BuildSpec.Stage stage : deploy.buildSpec().stages()) {
            deploy.control().check();
            deploy.progress().stage("Stage " + stage.name() + ": " + stage.run());
            int status;
            try {
                status = sandbox.run(deploy.imageId(), stage.run(), deploy.run().env(), stage.timeout(),
                        line -> deploy.progress().line("[" + stage.name() + "] " + line), deploy.control());
            } catch (UserError e) {
                throw new UserError("stage '" + stage.name() + "' failed: " + e.getMessage(), e);
            }
            if (status != 0) {
                throw new UserError("stage '" + stage.name() + "' failed: exit code " + status);
            }
        }
    }
}
