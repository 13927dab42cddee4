package io.octohost.callbacks;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** POSTs each status body to a URL, with basic auth when the URL carried credentials. */
final class HttpStatusSink implements StatusSink {
    private final HttpClient client;
    private final CallbackTarget.Http target;
    private final Duration timeout;

    HttpStatusSink(HttpClient client, CallbackTarget.Http target, Duration timeout) {
        this.client = client;
        this.target = target;
        this.timeout = timeout;
    }

    @Override
    public void deliver(String buildKey, StatusBody body) throws Exception {
        int status = client.newRequest(target.url()).method(HttpMethod.POST).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> target.credentials().ifPresent(c -> h.put(HttpHeader.AUTHORIZATION, c.basicAuthorization())))
                .body(new StringRequestContent("application/json", body.json())).send().getStatus();
        if (status / 100 != 2) {
            throw new IllegalStateException("answered HTTP " + status);
        }
    }

    @Override
    public String describe() {
        return target.describe();
    }
}
