package io.octohost.discovery;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.octohost.app.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;

/**
 * Follows Docker's events for this octod's containers (label {@code octohost.instance=<id>}): a start,
 * stop, death or removal calls {@code onEvent}. The stream is opened again when dockerd goes away.
 */
final class DockerEvents implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DockerEvents.class);
    private final DockerClient docker;
    private final String instanceId;
    private final Runnable onEvent;
    private final Backoff backoff;
    private volatile boolean closed;
    private volatile ResultCallback.Adapter<Event> current;

    DockerEvents(DockerClient docker, String instanceId, Runnable onEvent, Backoff backoff) {
        this.docker = docker;
        this.instanceId = instanceId;
        this.onEvent = onEvent;
        this.backoff = backoff;
    }

    void close() {
        closed = true;
        ResultCallback.Adapter<Event> c = current;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void run() {
        int failures = 0;
        while (!closed) {
            ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Event event) {
                    onEvent.run();
                }
            };
            current = callback;
            long started = System.nanoTime();
            try {
                docker.eventsCmd()
                        .withLabelFilter(Map.of(Labels.INSTANCE, instanceId))
                        .withEventTypeFilter(EventType.CONTAINER)
                        .withEventFilter("start", "restart", "stop", "die", "destroy", "pause", "unpause")
                        .exec(callback)
                        .awaitCompletion();
                // after a gap in the stream, events may have been missed
                onEvent.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.debug("docker events: {}", e.getMessage());
                }
            }
            if (closed) {
                return;
            }
            failures = System.nanoTime() - started > 60_000_000_000L ? 0 : failures + 1;
            try {
                Thread.sleep(backoff.delay(failures).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

}
