package io.octohost.build;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.PruneType;
import io.octohost.app.AppName;
import io.octohost.app.BuildControl;
import io.octohost.app.BuildSpec;
import io.octohost.app.Labels;
import io.octohost.app.Printable;
import io.octohost.app.Progress;
import io.octohost.app.SourceTree;
import io.octohost.app.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds with the Docker engine's own builder; its layer cache is kept between pushes. Images are
 * tagged {@code octohost-app/INSTANCE/APP:SHA}, a namespace no app name and no base image can
 * reach, and labelled with the instance and the app (see {@link LabelledDockerfile}): they are found
 * by those labels only. A stopped build closes its stream to the engine, which then stops the build
 * and removes its build container.
 */
public final class DockerImageBuilder implements ImageBuilder {
    private final DockerClient docker;
    private final Path scratchDir;
    private final String instanceId;

    public DockerImageBuilder(DockerClient docker, Path scratchDir, String instanceId) {
        this.docker = docker;
        this.scratchDir = scratchDir;
        this.instanceId = instanceId;
    }

    /** Where this octod tags an app's images. */
    private static String repository(String instanceId, AppName app) {
        return "octohost-app/" + instanceId + "/" + app;
    }

    @Override
    public BuiltImage build(AppName app, SourceTree tree, BuildSpec spec, Map<String, String> buildArgs, Progress progress,
                            BuildControl control) {
        String tag = repository(instanceId, app) + ":" + tree.commit().shortSha();
        Set<String> tags = new java.util.TreeSet<>(Set.of(tag));
        spec.tag().ifPresent(extra -> tags.add(repository(instanceId, app) + ":" + extra));
        Path tar = null;
        try {
            Files.createDirectories(scratchDir);
            tar = Files.createTempFile(scratchDir, app + "-", ".tar");
            String dockerfile = new String(tree.file(spec.dockerfile()).orElseThrow(), StandardCharsets.UTF_8);
            try (OutputStream out = Files.newOutputStream(tar)) {
                tree.writeTar(out, Map.of(spec.dockerfile(), LabelledDockerfile.of(dockerfile, labels(app)).getBytes(StandardCharsets.UTF_8)));
            }
            String imageId;
            try (InputStream in = Files.newInputStream(tar)) {
                var build = docker.buildImageCmd(in).withTags(tags).withForcerm(true).withPull(false)
                        .withDockerfilePath(spec.dockerfile());
                spec.target().ifPresent(build::withTarget);
                buildArgs.forEach(build::withBuildArg);
                StreamingCallback callback = build.exec(new StreamingCallback(progress));
                try (BuildControl.Registration stop = control.closeOnStop(callback)) {
                    imageId = callback.awaitImageId();
                }
            }
            return BuiltImage.inspect(docker, imageId);
        } catch (DockerClientException e) {
            control.check();
            throw new UserError("docker build failed: " + e.getMessage(), e);
        } catch (DockerException e) {
            control.check();
            // the engine refused the build before it started: an unparseable Dockerfile, say
            throw new UserError("docker build failed: " + engineMessage(e), e);
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            control.check(); // a stopped build's stream fails as it is closed
            if (e.getCause() instanceof IOException io) {
                // the engine went away while it streamed the build (stopped, or killed)
                throw new UserError("docker build failed: the Docker engine went away during the build ("
                        + Printable.of(String.valueOf(io.getMessage()), 120) + ")", e);
            }
            throw e;
        } catch (IOException e) {
            throw new UserError("cannot write the build context in " + scratchDir + ": " + e.getMessage(), e);
        } finally {
            if (tar != null) {
                tar.toFile().delete();
            }
        }
    }

    /** What the engine said, without docker-java's "Status 400: {"message": ...}" wrapping. */
    static String engineMessage(DockerException e) {
        String text = String.valueOf(e.getMessage());
        Matcher json = Pattern.compile("\\{\"message\":\"(.*)\"\\}", Pattern.DOTALL).matcher(text);
        return Printable.of((json.find() ? json.group(1).replace("\\\"", "\"") : text).strip(), 300);
    }

    private Map<String, String> labels(AppName app) {
        return Map.of(Labels.INSTANCE, instanceId, Labels.APP, app.value());
    }

    @Override
    public void removeImages(AppName app) {
        images(app).forEach(id -> remove(id, true));
    }

    @Override
    public void removeImage(AppName app, String imageId) {
        if (images(app).stream().anyMatch(id -> sameImage(id, imageId))) {
            remove(imageId, false);
        }
    }

    /** Image ids as Docker gives them ({@code sha256:...}) or as a release keeps them (maybe short). */
    static boolean sameImage(String a, String b) {
        String x = a.replaceFirst("^sha256:", "");
        String y = b.replaceFirst("^sha256:", "");
        return !x.isEmpty() && !y.isEmpty() && (x.startsWith(y) || y.startsWith(x));
    }

    /**
     * Untags the image and deletes it. {@code force} also deletes an image that stopped containers
     * use; an image a running container uses (an old one draining) stays, and a later release deletes it.
     */
    private void remove(String imageId, boolean force) {
        try {
            List<String> tags = docker.inspectImageCmd(imageId).exec().getRepoTags();
            for (String tag : tags == null ? List.<String>of() : tags) {
                docker.removeImageCmd(tag).exec();
            }
            if (exists(imageId)) {
                docker.removeImageCmd(imageId).withForce(force).exec();
            }
        } catch (NotFoundException e) {
            // gone already
        } catch (ConflictException e) {
            // a container still uses it
        }
    }

    @Override
    public List<String> images(AppName app) {
        return docker.listImagesCmd().withLabelFilter(labels(app)).exec()
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
    public void pruneDangling(AppName app) {
        try {
            docker.pruneCmd(PruneType.IMAGES).withDangling(true)
                    .withLabelFilter(labels(app).entrySet().stream().map(l -> l.getKey() + "=" + l.getValue()).toArray(String[]::new)).exec();
        } catch (RuntimeException e) {
            // best effort: the next failed build tries again
        }
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
