package io.octohost.registry;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.app.Progress;

import java.util.Optional;

/**
 * Tags the image {@code REGISTRY/APP:vN} and pushes it through the Docker engine, with the
 * engine's progress on the pusher's output. Credentials go to the engine only, never to a log.
 */
public final class DockerRegistryPublisher implements ImagePublisher {
    private final DockerClient docker;
    private final String registry;
    private final Optional<AuthConfig> auth;

    public DockerRegistryPublisher(DockerClient docker, String registry, Optional<String> user, Optional<String> password) {
        this.docker = docker;
        this.registry = registry;
        String host = registry.contains("/") ? registry.substring(0, registry.indexOf('/')) : registry;
        this.auth = user.map(u -> new AuthConfig().withRegistryAddress(host).withUsername(u)
                .withPassword(password.orElse("")));
    }

    @Override
    public void publish(AppName app, String imageId, String releaseLabel, Progress progress) {
        String repository = registry + "/" + app;
        progress.stage("Pushing " + repository + ":" + releaseLabel);
        try {
            docker.tagImageCmd(imageId, repository, releaseLabel).exec();
            var push = docker.pushImageCmd(repository).withTag(releaseLabel);
            auth.ifPresent(push::withAuthConfig);
            push.exec(new ResultCallback.Adapter<PushResponseItem>() {
                @Override
                public void onNext(PushResponseItem item) {
                    if (item.getErrorDetail() != null) {
                        onError(new DockerClientException(item.getErrorDetail().getMessage()));
                        return;
                    }
                    if (item.getStatus() != null && item.getProgressDetail() == null) {
                        progress.line((item.getId() == null ? "" : item.getId() + ": ") + item.getStatus());
                    }
                }
            }).awaitCompletion();
        } catch (DockerException | DockerClientException e) {
            throw new UserError("pushing to the registry " + registry + " failed: " + oneLine(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while pushing to the registry");
        } finally {
            try {
                docker.removeImageCmd(repository + ":" + releaseLabel).exec();
            } catch (RuntimeException e) {
                // the local registry tag is only needed for the push
            }
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> a + " " + b).orElse("");
    }
}
