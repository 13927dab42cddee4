package io.octohost.build;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.InternetProtocol;
import io.octohost.app.AppName;
import io.octohost.app.Commit;
import io.octohost.app.UserError;
import io.octohost.deploy.Progress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** Builds with the Docker engine's own builder; its layer cache is kept between pushes. */
public final class DockerImageBuilder implements ImageBuilder {
    private final DockerClient docker;
    private final Path scratchDir;

    public DockerImageBuilder(DockerClient docker, Path scratchDir) {
        this.docker = docker;
        this.scratchDir = scratchDir;
    }

    @Override
    public BuiltImage build(AppName app, Commit commit, BuildContext context, Progress progress) {
        String repository = ImageBuilder.repository(app);
        String tag = repository + ":" + commit.shortSha();
        Path tar = null;
        try {
            Files.createDirectories(scratchDir);
            tar = Files.createTempFile(scratchDir, app + "-", ".tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                context.writeTar(out);
            }
            String imageId;
            try (InputStream in = Files.newInputStream(tar)) {
                imageId = docker.buildImageCmd(in)
                        .withTags(Set.of(tag, repository + ":latest"))
                        .withForcerm(true)
                        .withPull(false)
                        .exec(new StreamingCallback(progress))
                        .awaitImageId();
            }
            return new BuiltImage(imageId, exposedPort(imageId));
        } catch (DockerClientException e) {
            throw new UserError("docker build failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tar != null) {
                tar.toFile().delete();
            }
        }
    }

    @Override
    public void removeImages(AppName app) {
        String repository = ImageBuilder.repository(app);
        for (Image image : docker.listImagesCmd().withFilter("reference", List.of(repository + ":*")).exec()) {
            removeImage(app, image.getId(), true);
        }
    }

    @Override
    public void removeImage(AppName app, String imageId) {
        removeImage(app, imageId, false);
    }

    /**
     * Untags the image in the app's repository only: another app's tags of the same image stay, and so
     * does the image while they do. {@code force} also deletes an image that stopped containers use.
     */
    private void removeImage(AppName app, String imageId, boolean force) {
        String prefix = ImageBuilder.repository(app) + ":";
        try {
            List<String> tags = docker.inspectImageCmd(imageId).exec().getRepoTags();
            List<String> others = new java.util.ArrayList<>();
            for (String tag : tags == null ? List.<String>of() : tags) {
                if (tag.startsWith(prefix)) {
                    docker.removeImageCmd(tag).exec();
                } else if (!tag.equals("<none>:<none>")) {
                    others.add(tag);
                }
            }
            if (others.isEmpty() && exists(imageId)) {
                docker.removeImageCmd(imageId).withForce(force).exec();
            }
        } catch (NotFoundException e) {
            // gone already
        } catch (com.github.dockerjava.api.exception.ConflictException e) {
            // a container still uses it (an old one draining): a later release deletes it
        }
    }

    @Override
    public List<String> images(AppName app) {
        return docker.listImagesCmd().withFilter("reference", List.of(ImageBuilder.repository(app) + ":*")).exec()
                .stream().map(Image::getId).distinct().toList();
    }

    @Override
    public boolean exists(String imageId) {
        try {
            docker.inspectImageCmd(imageId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void pruneDangling() {
        try {
            docker.pruneCmd(com.github.dockerjava.api.model.PruneType.IMAGES).withDangling(true).exec();
        } catch (RuntimeException e) {
            // best effort: the next failed build tries again
        }
    }

    /** The lowest exposed TCP port: Docker keeps exposed ports unordered, so pick deterministically. */
    private OptionalInt exposedPort(String imageId) {
        ExposedPort[] ports = docker.inspectImageCmd(imageId).exec().getConfig().getExposedPorts();
        if (ports == null) {
            return OptionalInt.empty();
        }
        return Arrays.stream(ports).filter(p -> p.getProtocol() == InternetProtocol.TCP)
                .mapToInt(ExposedPort::getPort).min();
    }

    /** Passes each line of build output on as soon as it arrives. */
    private static final class StreamingCallback extends BuildImageResultCallback {
        private final Progress progress;

        StreamingCallback(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void onNext(BuildResponseItem item) {
            if (item.getStream() != null) {
                item.getStream().lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).forEach(progress::line);
            }
            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
                progress.line(item.getErrorDetail().getMessage());
            }
            super.onNext(item);
        }
    }
}
