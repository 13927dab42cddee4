package io.octohost.run.docker;

import com.github.dockerjava.api.DockerClient;
import io.octohost.run.AppContainer;
import io.octohost.run.Frames;

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
            Thread reader = new Thread(() -> one(c.id(), tail, follow, shared), "logs-" + c.name());
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

    private void one(String containerId, int tail, boolean follow, Consumer<byte[]> sink) {
        var cmd = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow);
        if (tail >= 0) {
            cmd.withTail(tail);
        }
        Frames.copy(cmd, sink);
    }
}
