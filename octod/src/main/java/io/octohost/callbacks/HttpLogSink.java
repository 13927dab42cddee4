package io.octohost.callbacks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One POST per build whose body is the raw log, sent with chunked transfer encoding while the build
 * runs: each line goes out as soon as it is written (seed 004: the receiver sees lines before the
 * build ends). The request body reads from a queue; a receiver too slow to keep up loses lines, which
 * the stream then says, rather than holding up the build.
 */
final class HttpLogSink implements LogSink {
    private static final Logger log = LoggerFactory.getLogger(HttpLogSink.class);
    private static final byte[] END = new byte[0];
    private final CallbackTarget.Http target;
    private final BlockingQueue<byte[]> queue;
    private int dropped;
    /** Set once the request ended: nothing reads the queue any more. */
    private volatile boolean gone;

    HttpLogSink(HttpClient client, CallbackTarget.Http target, String buildKey, int maxQueuedLines) {
        this.target = target;
        this.queue = new LinkedBlockingQueue<>(maxQueuedLines);
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new QueueStream(queue)));
        target.credentials().ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
            gone = true;
            if (e != null) {
                log.warn("log callback of build {} to {} failed: {}", buildKey, target.describe(), Callbacks.reason(e));
            } else if (response.statusCode() / 100 != 2) {
                log.warn("log callback of build {} to {} answered HTTP {}", buildKey, target.describe(), response.statusCode());
            }
        });
    }

    @Override
    public void line(String line) {
        if (gone) {
            return;
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (dropped > 0 && queue.offer(("[octod: " + dropped + " lines dropped: the receiver was too slow]\n")
                .getBytes(StandardCharsets.UTF_8))) {
            dropped = 0;
        }
        if (dropped > 0 || !queue.offer(bytes)) {
            dropped++;
        }
    }

    @Override
    public void close() {
        try {
            if (!gone && !queue.offer(END, 10, java.util.concurrent.TimeUnit.SECONDS)) {
                queue.clear();
                queue.offer(END);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String describe() {
        return target.describe();
    }

    /** The request body: the queued lines, each handed over as soon as it is there, until END. */
    private static final class QueueStream extends InputStream {
        private final BlockingQueue<byte[]> queue;
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        QueueStream(BlockingQueue<byte[]> queue) {
            this.queue = queue;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (!ended && pos == current.length) {
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                pos = 0;
                ended = current == END;
            }
            if (ended) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
