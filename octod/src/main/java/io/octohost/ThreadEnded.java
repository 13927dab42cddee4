package io.octohost;

import com.github.dockerjava.api.exception.DockerException;
import io.octohost.app.Printable;
import io.octohost.app.Redacted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that ends with an exception nobody caught, most often one docker-java starts to stream
 * (the logs of a container removed meanwhile: 409): the engine's answer in one line, no stack trace;
 * anything else as a bug, its stack without messages (they may carry what a user typed).
 */
final class ThreadEnded implements Thread.UncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ThreadEnded.class);

    @Override
    public void uncaughtException(Thread thread, Throwable e) {
        if (e instanceof DockerException docker) {
            log.warn("thread {} ended: the Docker engine answered {}", thread.getName(),
                    Printable.of(String.valueOf(docker.getMessage()).strip(), 200));
        } else {
            log.error("thread {} ended", thread.getName(), Redacted.of(e));
        }
    }
}
