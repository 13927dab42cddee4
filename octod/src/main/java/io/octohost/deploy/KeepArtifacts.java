package io.octohost.deploy;

import io.octohost.app.ArtifactSink;
import io.octohost.app.BuildSpec;
import io.octohost.app.UserError;
import io.octohost.build.ImageSandbox;

import java.io.IOException;

/**
 * Copies the build file's artifacts out of the new image, once its stages passed, and keeps them
 * with the build's record (they go with it). Nothing to undo: a failed build's record keeps what it made.
 */
final class KeepArtifacts implements Step {
    private final ImageSandbox sandbox;
    private final ArtifactSink sink;

    KeepArtifacts(ImageSandbox sandbox, ArtifactSink sink) {
        this.sandbox = sandbox;
        this.sink = sink;
    }

    @Override
    public void run(Deploy deploy) {
        for (BuildSpec.Artifact artifact : deploy.buildSpec().artifacts()) {
            deploy.control().check();
            try {
                sink.keep(artifact.name(), out -> sandbox.copy(deploy.imageId(), artifact.path(), out));
            } catch (UserError e) {
                throw new UserError("artifact '" + artifact.name() + "': " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UserError("artifact '" + artifact.name() + "' cannot be kept: " + e.getMessage(), e);
            }
            deploy.progress().line("kept artifact " + artifact.name() + " (" + artifact.path() + ")");
        }
    }
}
