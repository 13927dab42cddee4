package io.octohost.registry;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import io.octohost.app.BuildControl;
import io.octohost.app.Credentials;
import io.octohost.app.Progress;
import io.octohost.app.UserError;
import io.octohost.build.BuiltImage;
import io.octohost.source.ImageRef;

import java.util.Optional;

/** Pulls and pushes through the Docker engine, with the engine's progress on the build's output. */
public final class DockerRegistries implements Registries {
    private final DockerClient docker;

    public DockerRegistries(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public BuiltImage pull(ImageRef image, Progress progress, BuildControl control) {
        progress.stage("Pulling " + image.reference());
        var pull = docker.pullImageCmd(image.registry() + "/" + image.repository()).withTag(image.tag());
        auth(image).ifPresent(pull::withAuthConfig);
        await(pull.exec(new Reporting<PullResponseItem>(progress)), control, "pulling " + image.reference());
        return BuiltImage.inspect(docker, image.reference());
    }

    @Override
    public String push(String imageId, ImageRef to, Progress progress, BuildControl control) {
        String repository = to.registry() + "/" + to.repository();
        progress.stage("Pushing " + to.reference());
        try {
            docker.tagImageCmd(imageId, repository, to.tag()).exec();
            var push = docker.pushImageCmd(repository).withTag(to.tag());
            auth(to).ifPresent(push::withAuthConfig);
            Reporting<PushResponseItem> pushed = push.exec(new Reporting<>(progress));
            await(pushed, control, "pushing to the registry " + to.registry());
            return repository + ":" + to.tag() + (pushed.digest == null ? "" : "@" + pushed.digest);
        } finally {
            try {
                docker.removeImageCmd(repository + ":" + to.tag()).exec();
            } catch (RuntimeException e) {
                // the local registry tag is only needed for the push
            }
        }
    }

    private static Optional<AuthConfig> auth(ImageRef image) {
        return auth(image.registry(), image.credentials());
    }

    /** What the engine (or a Swarm's nodes) log in to the registry {@code host[:port]} with, if anything. */
    public static Optional<AuthConfig> auth(String registry, Optional<Credentials> credentials) {
        return credentials.map(c -> new AuthConfig().withRegistryAddress(registry).withUsername(c.user()).withPassword(c.password()));
    }

    /** Waits for the engine to finish; a stop closes the stream, which ends the pull or push. */
    private static void await(ResultCallback.Adapter<?> callback, BuildControl control, String what) {
        try (BuildControl.Registration stop = control.closeOnStop(callback)) {
            callback.awaitCompletion();
        } catch (DockerException | DockerClientException e) {
            control.check();
            throw new UserError(what + " failed: " + oneLine(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(what + " was interrupted");
        }
        control.check();
    }

    static String oneLine(String s) {
        return s == null ? "" : Credentials.redact(s.lines().map(String::strip).filter(l -> !l.isEmpty())
                .reduce((a, b) -> a + " " + b).orElse(""));
    }

    /** The engine's progress lines (not the byte counts), and its error as a failure. */
    private static final class Reporting<T extends ResponseItem> extends ResultCallback.Adapter<T> {
        private final Progress progress;
        /** The pushed image's digest, once the engine tells it. */
        private volatile String digest;

        Reporting(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void onNext(T item) {
            if (item.getErrorDetail() != null) {
                onError(new DockerClientException(item.getErrorDetail().getMessage()));
                return;
            }
            if (item.getAux() != null && item.getAux().getDigest() != null) {
                digest = item.getAux().getDigest();
            }
            if (item.getStatus() != null && item.getProgressDetail() == null) {
                progress.line((item.getId() == null ? "" : item.getId() + ": ") + item.getStatus());
            }
        }
    }
}
