package io.octohost.build;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import io.octohost.app.BuildControl;
import io.octohost.app.UserError;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The sandbox on the Docker engine. A stage's container runs the image with {@code sh -c} as its
 * entrypoint (the image's CMD is not appended) and carries the image's labels ({@code octohost.app},
 * {@code octohost.instance}) but no release: nothing routes to it, and a restart's reconcile removes
 * one a crash left behind.
 */
public final class DockerImageSandbox implements ImageSandbox {
    /** How long the output may trail the exit: the log stream ends on its own once the container has. */
    private static final long LOG_DRAIN_SECONDS = 30;
    private final DockerClient docker;
    private final Path scratchDir;

    public DockerImageSandbox(DockerClient docker, Path scratchDir) {
        this.docker = docker;
        this.scratchDir = scratchDir;
    }

    @Override
    public int run(String imageId, String command, Map<String, String> env, Duration timeout, Consumer<String> lines,
                   BuildControl control) {
        String id = docker.createContainerCmd(imageId).withEntrypoint("sh", "-c", command).withCmd(List.of())
                .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()).exec().getId();
        try (BuildControl.Registration stop = control.onStop(() -> kill(id))) {
            docker.startContainerCmd(id).exec();
            LineCallback output = docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(new LineCallback(lines));
            Integer status;
            try {
                status = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                        .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (DockerClientException e) {
                control.check();
                kill(id);
                throw new UserError("timed out after " + timeout.toSeconds() + " s", e);
            }
            output.awaitCompletion(LOG_DRAIN_SECONDS, TimeUnit.SECONDS);
            output.flush();
            control.check();
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", e);
        } finally {
            remove(id);
        }
    }

    @Override
    public void copy(String imageId, String path, OutputStream out) throws IOException {
        String id = docker.createContainerCmd(imageId).withEntrypoint("true").withCmd(List.of()).exec().getId();
        Path tar = null;
        try {
            Files.createDirectories(scratchDir);
            tar = Files.createTempFile(scratchDir, "artifact-", ".tar");
            try (InputStream in = docker.copyArchiveFromContainerCmd(id, path).exec()) {
                Files.copy(in, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (NotFoundException e) {
                throw new UserError("the image has nothing at " + path, e);
            }
            try (TarArchiveInputStream entries = new TarArchiveInputStream(Files.newInputStream(tar))) {
                TarArchiveEntry first = entries.getNextEntry();
                if (first != null && first.isFile()) {
                    entries.transferTo(out);
                    return;
                }
            }
            Files.copy(tar, out);
        } finally {
            if (tar != null) {
                Files.deleteIfExists(tar);
            }
            remove(id);
        }
    }

    private void kill(String id) {
        try {
            docker.killContainerCmd(id).exec();
        } catch (RuntimeException e) {
            // exited already, or gone
        }
    }

    private void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // gone already
        }
    }

    /** Turns the frames of stdout and stderr into lines, each stream's partial last line kept until it ends. */
    private static final class LineCallback extends ResultCallback.Adapter<Frame> {
        private final Consumer<String> lines;
        private final Map<Object, ByteArrayOutputStream> partial = new java.util.HashMap<>();

        LineCallback(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            ByteArrayOutputStream buf = partial.computeIfAbsent(frame.getStreamType(), k -> new ByteArrayOutputStream());
            for (byte b : frame.getPayload()) {
                if (b == '\n') {
                    emit(buf);
                } else {
                    buf.write(b);
                }
            }
        }

        synchronized void flush() {
            partial.values().stream().filter(b -> b.size() > 0).forEach(this::emit);
        }

        private void emit(ByteArrayOutputStream buf) {
            lines.accept(buf.toString(StandardCharsets.UTF_8).stripTrailing());
            buf.reset();
        }
    }
}
