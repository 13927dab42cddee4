package io.octohost.deploy;

import io.octohost.app.BuildFile;
import io.octohost.app.BuildSpec;

import java.util.Optional;

/**
 * Reads the tree's {@code octohost.yml}, if it has one, for the branch being built: how the image is
 * built, its stages and artifacts. A malformed file fails the build here, before anything is built.
 */
final class ReadBuildFile implements Step {
    private final String branch;

    ReadBuildFile(String branch) {
        this.branch = branch;
    }

    @Override
    public void run(Deploy deploy) {
        Optional<byte[]> file = deploy.tree().file(BuildFile.NAME);
        if (file.isPresent()) {
            BuildSpec spec = BuildFile.parse(file.get(), branch);
            deploy.progress().stage(BuildFile.NAME + " (branch " + branch + "): " + spec.dockerfile()
                    + spec.target().map(t -> " target " + t).orElse("") + ", " + spec.stages().size() + " stage(s), "
                    + spec.artifacts().size() + " artifact(s)");
            deploy.buildSpec(spec);
        }
    }
}
