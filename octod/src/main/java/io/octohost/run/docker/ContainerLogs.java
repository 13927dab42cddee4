package io.octohost.run.docker;

import com.github.dockerjava.api.DockerClient;
import io.octohost.app.Procfile;
import io.octohost.run.AppContainer;
import io.octohost.run.Frames;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The output of an app's containers, one reader thread per container, into one sink. */
final class ContainerLogs {
    private final DockerClient docker;

    ContainerLogs(DockerClient docker) {
        this.docker = docker;
    }

    /** Returns when every container's stream ended, or when the caller is interrupted (the reader went away). */
    void follow(List<AppContainer> containers, int tail, boolean follow, Consumer<byte[]> sink) {
        Consumer<byte[]> shared = bytes -> {
            synchronized (this) {
                sink.accept(bytes);
            }
        };
        List<Thread> readers = new ArrayList<>();
        for (AppContainer c : containers) {
            // the web type's lines as they are (as before process types); another type's say whose they are
            Consumer<byte[]> out = Procfile.WEB.equals(c.process()) ? shared : prefixed(c.name() + "| ", shared);
            Thread reader = new Thread(() -> one(c.id(), tail, follow, out), "logs-" + c.name());
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        try {
            for (Thread reader : readers) {
                reader.join();
            }
        } catch (InterruptedException e) {
            readers.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
        }
    }

    /** Puts the prefix before each line; one per reader thread (it remembers whether a line is open). */
    static Consumer<byte[]> prefixed(String prefix, Consumer<byte[]> sink) {
        byte[] before = prefix.getBytes(StandardCharsets.UTF_8);
        boolean[] lineStart = {true};
        return bytes -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + before.length);
            for (byte b : bytes) {
                if (lineStart[0]) {
                    out.writeBytes(before);
                }
                out.write(b);
                lineStart[0] = b == '\n';
            }
            sink.accept(out.toByteArray());
        };
    }

    private void one(String containerId, int tail, boolean follow, Consumer<byte[]> sink) {
        var cmd = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow);
        if (tail >= 0) {
            cmd.withTail(tail);
        }
        Frames.copy(cmd, sink);
    }
}
