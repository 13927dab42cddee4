package io.octohost.deploy;

import io.octohost.app.BuildFile;
import io.octohost.app.BuildSpec;
import io.octohost.app.ConfigKeys;
import io.octohost.app.Procfile;
import io.octohost.app.SourceTree;
import io.octohost.app.UserError;
import io.octohost.build.BuiltImage;
import io.octohost.build.ImageBuilder;
import io.octohost.state.AppConfigs;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the tree's Dockerfile (or the one its build file names, with its target), with the build
 * file's args, the app's EXTRA_BUILD_ARGS and the build's own arguments over them, then gives the
 * build slot back. Undone, the image goes again: no release will run it, so
 * retention never would delete it.
 */
final class BuildImage implements Step {
    private final ImageBuilder builder;
    private final AppConfigs configs;
    private final ImageRetention retention;
    private final Map<String, String> arguments;

    BuildImage(ImageBuilder builder, AppConfigs configs, ImageRetention retention, Map<String, String> arguments) {
        this.builder = builder;
        this.configs = configs;
        this.retention = retention;
        this.arguments = Map.copyOf(arguments);
    }

    @Override
    public String timing() {
        return "build";
    }

    @Override
    public void run(Deploy deploy) {
        SourceTree tree = deploy.tree();
        BuildSpec spec = deploy.buildSpec();
        if (tree.file(spec.dockerfile()).isEmpty()) {
            throw new UserError(spec.equals(BuildSpec.DEFAULT) ? "no Dockerfile at the root of " + tree.commit().shortSha()
                    : "no " + spec.dockerfile() + " in " + tree.commit().shortSha() + " (dockerfile of " + BuildFile.NAME + ")");
        }
        // a malformed Procfile fails the build before it starts
        deploy.processes(tree.file(Procfile.FILE).map(Procfile::parse).orElseGet(TreeMap::new));
        // the build file's args, then the app's EXTRA_BUILD_ARGS over them, then the build's own
        SortedMap<String, String> args = new TreeMap<>(spec.buildArgs());
        args.putAll(ConfigKeys.buildArgs(configs.effective(deploy.app(), deploy.config())));
        args.putAll(arguments);
        try {
            deploy.progress().stage("Building " + deploy.app() + " (" + tree.commit().shortSha() + ")");
            BuiltImage image = builder.build(deploy.app(), tree, spec, args, deploy.progress(), deploy.control());
            deploy.image(Optional.of(tree.commit()), image.id(), Optional.empty(), image.exposedPort());
        } catch (UserError e) {
            builder.pruneDangling(deploy.app());
            throw e;
        } finally {
            deploy.releaseSlot();
        }
    }

    @Override
    public void undo(Deploy deploy) {
        if (deploy.imageId() != null) {
            retention.discardUnreleased(deploy.app(), deploy.imageId());
        }
    }
}
