package io.octohost.callbacks;

import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One POST per build whose body is the raw log, sent with chunked transfer encoding while the build
 * runs: each line goes out as soon as it is written (seed 004: the receiver sees lines before the
 * build ends). A receiver too slow to keep up loses lines, which the stream then says, rather than
 * holding up the build or filling octod's memory.
 */
final class HttpLogSink implements LogSink {
    private static final Logger log = LoggerFactory.getLogger(HttpLogSink.class);
    private final CallbackTarget.Http target;
    private final AsyncRequestContent body = new AsyncRequestContent("text/plain; charset=utf-8");
    private final AtomicInteger unsent = new AtomicInteger();
    private final int maxUnsent;
    private int dropped;
    /** Set once the request ended: nothing takes lines any more. */
    private volatile boolean gone;

    HttpLogSink(HttpClient client, CallbackTarget.Http target, String buildKey, int maxUnsent) {
        this.target = target;
        this.maxUnsent = maxUnsent;
        client.newRequest(target.url()).method(HttpMethod.POST)
                .headers(h -> target.credentials().ifPresent(c -> h.put(HttpHeader.AUTHORIZATION, c.basicAuthorization())))
                .body(body)
                .send(result -> {
                    gone = true;
                    if (result.isFailed()) {
                        log.warn("log callback of build {} to {} failed: {}", buildKey, target.describe(), Callbacks.reason(result.getFailure()));
                    } else if (result.getResponse().getStatus() / 100 != 2) {
                        log.warn("log callback of build {} to {} answered HTTP {}", buildKey, target.describe(), result.getResponse().getStatus());
                    }
                });
    }

    @Override
    public void line(String line) {
        if (gone) {
            return;
        }
        if (unsent.get() >= maxUnsent) {
            dropped++;
            return;
        }
        if (dropped > 0) {
            send("[octod: " + dropped + " lines dropped: the receiver was too slow]");
            dropped = 0;
        }
        send(line);
    }

    private void send(String line) {
        unsent.incrementAndGet();
        body.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)), Callback.from(unsent::decrementAndGet));
    }

    @Override
    public void close() {
        body.close();
    }

    @Override
    public String describe() {
        return target.describe();
    }
}
