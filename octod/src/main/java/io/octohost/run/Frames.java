package io.octohost.run;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.AsyncDockerCmd;
import com.github.dockerjava.api.model.Frame;

import java.io.IOException;
import java.util.function.Consumer;

/** Copies a Docker log stream (a container's or a service's) into a sink until it ends, the sink fails, or the caller is interrupted. */
public final class Frames {
    private Frames() {
    }

    public static void copy(AsyncDockerCmd<?, Frame> logs, Consumer<byte[]> sink) {
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                try {
                    sink.accept(frame.getPayload());
                } catch (RuntimeException e) {
                    onError(e);
                }
            }
        };
        try {
            logs.exec(callback).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                callback.close();
            } catch (IOException e) {
                // closing a finished stream
            }
        }
    }
}
