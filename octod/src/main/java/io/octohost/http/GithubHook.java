package io.octohost.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.Json;
import io.octohost.app.NotFound;
import io.octohost.app.Printable;
import io.octohost.builds.Build;
import io.octohost.callbacks.CallbackTarget;
import io.octohost.github.WebhookSignature;
import io.octohost.state.Deliveries;
import io.octohost.state.Projects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/hooks/github} (seed 003's path): GitHub's webhook, with no token. The project is
 * the one of the payload's repository; the signature of the raw body with its secret is checked
 * before anything is acted on. A push to a tracked branch is built from the project's own clone
 * URL (never one from the payload), a deleted branch removes its branch app; a delivery is acted
 * on once, however often it comes.
 */
final class GithubHook {
    private static final Logger log = LoggerFactory.getLogger(GithubHook.class);
    private final Github github;

    GithubHook(Github github) {
        this.github = github;
    }

    Route route() {
        return Route.post("/v1/hooks/github", this::handle).open();
    }

    private void handle(Exchange ex) throws Exception {
        byte[] body = ex.body();
        JsonNode payload = Exchange.json(Json.MAPPER.reader(), body);
        String repo = payload.path("repository").path("full_name").asText("");
        if (repo.isEmpty()) {
            throw new ApiError(400, "the payload has no repository.full_name");
        }
        Projects.Project project = github.projects().forRepo(repo)
                .orElseThrow(() -> new NotFound("no project for the repository '" + Printable.of(repo, 100) + "'"));
        if (!WebhookSignature.verify(project.secret(), body, ex.header(WebhookSignature.HEADER))) {
            log.info("refused a webhook for {} (project {}): {}", project.repo(), project.name(),
                    ex.header(WebhookSignature.HEADER) == null ? "no signature" : "a wrong signature");
            throw new ApiError(401, "the " + WebhookSignature.HEADER + " signature is missing or wrong");
        }
        String event = Optional.ofNullable(ex.header("X-GitHub-Event")).orElse("");
        if (event.equals("ping")) {
            ex.json(200, Map.of("status", "pong", "project", project.name()));
        } else if (event.equals("push")) {
            push(ex, project, payload);
        } else {
            ignored(ex, "the event '" + Printable.of(event, 40) + "' builds nothing");
        }
    }

    private void push(Exchange ex, Projects.Project project, JsonNode payload) throws Exception {
        String delivery = ex.header("X-GitHub-Delivery");
        if (!Deliveries.valid(delivery)) {
            throw new ApiError(400, "X-GitHub-Delivery is missing or not a delivery id");
        }
        String ref = payload.path("ref").asText("");
        if (!ref.startsWith("refs/heads/")) {
            ignored(ex, "'" + Printable.of(ref, 100) + "' is not a branch");
            return;
        }
        String branch = ref.substring("refs/heads/".length());
        String defaultBranch = payload.path("repository").path("default_branch").asText("");
        if (!project.tracks(branch, defaultBranch)) {
            ignored(ex, "the branch '" + Printable.of(branch, 100) + "' is not tracked by project " + project.name());
            return;
        }
        String by = "github:" + Printable.of(payload.path("pusher").path("name").asText("unknown"), 60);
        // one delivery at a time, so that the same one sent twice is acted on once
        synchronized (github.deliveries()) {
            if (github.deliveries().seen(delivery)) {
                ex.json(200, Map.of("status", "done already", "reason", "the delivery " + delivery + " was acted on already"));
                return;
            }
            if (payload.path("deleted").asBoolean(false)) {
                AppName app = github.pushes().delete(project.app(), branch, by);
                github.deliveries().remember(delivery);
                ex.json(202, Map.of("status", "removing", "app", app.value()));
                return;
            }
            String sha = payload.path("after").asText("");
            AppName app = Exchange.field("ref", () -> github.pushes().appFor(project.app(), branch));
            BuildId id = BuildId.random();
            URI log = URI.create(ex.baseUrl() + "/v1/apps/" + app + "/builds/" + id + "/log");
            List<CallbackTarget> statuses = project.githubToken() == null ? List.of()
                    : List.of(new CallbackTarget.GithubStatus(project.repo(), sha, project.githubToken(), log));
            Build build = Exchange.field("after", () -> github.pushes().push(id, project.app(), branch, sha, URI.create(project.url()),
                    Optional.ofNullable(project.githubToken()), statuses, by));
            github.deliveries().remember(delivery);
            ex.json(202, build);
        }
    }

    private static void ignored(Exchange ex, String reason) throws Exception {
        ex.json(202, Map.of("status", "ignored", "reason", reason));
    }
}
