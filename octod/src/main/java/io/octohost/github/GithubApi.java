package io.octohost.github;

import io.octohost.app.Json;
import io.octohost.app.UserError;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** GitHub's REST API at {@code --github-api-url} (GitHub Enterprise: {@code https://HOST/api/v3}), over a shared Jetty client. */
public final class GithubApi implements CommitStatuses {
    private final HttpClient http;
    private final String base;
    private final Duration timeout;

    public GithubApi(HttpClient http, URI base, Duration timeout) {
        this.http = http;
        this.base = checked(base).toString().replaceAll("/+$", "");
        this.timeout = timeout;
    }

    /** {@code base}, when it can be GitHub's API URL. */
    public static URI checked(URI base) {
        String scheme = base.getScheme() == null ? "" : base.getScheme();
        if (!scheme.equals("https") && !scheme.equals("http") || base.getHost() == null || base.getRawUserInfo() != null) {
            throw new UserError("--github-api-url: '" + base + "' is not an http(s):// URL without user info");
        }
        return base;
    }

    @Override
    public void post(String repo, String sha, Status status, String token) throws Exception {
        String body = Json.write(Map.of("state", status.state(), "context", CONTEXT, "description", status.description(),
                "target_url", status.targetUrl().toString()));
        int answer = http.newRequest(base + "/repos/" + repo + "/statuses/" + sha).method(HttpMethod.POST)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token).put(HttpHeader.ACCEPT, "application/vnd.github+json")
                        .put("X-GitHub-Api-Version", "2022-11-28"))
                .agent("octod")
                .body(new StringRequestContent("application/json", body)).send().getStatus();
        if (answer / 100 != 2) {
            throw new IllegalStateException("GitHub answered HTTP " + answer);
        }
    }

    @Override
    public String toString() {
        return base;
    }
}
