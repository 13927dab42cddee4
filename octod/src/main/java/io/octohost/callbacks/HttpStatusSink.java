package io.octohost.callbacks;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url()).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.json()));
        target.credentials().ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
        int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 != 2) {
            throw new IllegalStateException("answered HTTP " + status);
        }
    }

    @Override
    public String describe() {
        return target.describe();
    }
}
