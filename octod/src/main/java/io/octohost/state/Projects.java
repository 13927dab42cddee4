package io.octohost.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.octohost.app.AccessName;
import io.octohost.app.AppName;
import io.octohost.app.BranchName;
import io.octohost.app.Conflict;
import io.octohost.app.Json;
import io.octohost.app.NotFound;
import io.octohost.app.Printable;
import io.octohost.app.UserError;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * GitHub projects (seed 003's table), under {@code octod/projects/NAME}: a GitHub repository, the
 * clone URL builds are fetched from, the app it deploys, the branches it tracks, the webhook's
 * secret and an optional token for commit statuses. The two secrets are kept here because the
 * webhook's HMAC and GitHub's API need them as they are; they are never shown again.
 */
public final class Projects {
    public static final String PREFIX = "octod/projects/";
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._/*-]{1,200}");
    private static final Set<String> SCHEMES = Set.of("https", "http", "file");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One lock for every Projects of the process: octo's commands and the API make their own. */
    private static final Object LOCK = new Object();
    private final StateStore store;

    public Projects(StateStore store) {
        this.store = store;
    }

    /**
     * A project. {@code branches}: globs of the branches that build ({@code *} within a path segment,
     * {@code **} across), none: the repository's default branch only.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Project(String name, String repo, String url, AppName app, List<String> branches, String secret,
                          @JsonProperty("github_token") String githubToken) {
        public Project {
            AccessName.check("project", name);
            if (repo == null || !REPO.matcher(repo).matches()) {
                throw new UserError("--repo: '" + Printable.of(repo, 80) + "' is not OWNER/REPO");
            }
            checkUrl(url);
            if (app == null) {
                throw new UserError("--app: give the app the project deploys");
            }
            branches = List.copyOf(branches == null ? List.of() : branches);
            branches.forEach(Projects::checkGlob);
            if (secret == null || secret.isEmpty()) {
                throw new UserError("the webhook secret is empty");
            }
            if (githubToken != null && (githubToken.isBlank() || githubToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
                throw new UserError("the GitHub token must be one word of printable characters");
            }
        }

        /** Whether a push to {@code branch} builds: it matches a glob, or (no globs) it is the default branch. */
        public boolean tracks(String branch, String defaultBranch) {
            if (branches.isEmpty()) {
                return branch.equals(defaultBranch);
            }
            return branches.stream().anyMatch(g -> FileSystems.getDefault().getPathMatcher("glob:" + g).matches(Path.of(branch)));
        }

        /** What octo and the API show: never the secrets, only whether they are set. */
        @JsonIgnore
        public View view() {
            return new View(name, repo, url, app.value(), branches, true, githubToken != null);
        }

        @Override
        public String toString() {
            return "project " + name + " (" + repo + ")";
        }
    }

    /** A project as shown. */
    public record View(String name, String repo, String url, String app, List<String> branches,
                       @JsonProperty("secret_set") boolean secretSet, @JsonProperty("github_token_set") boolean githubTokenSet) {
    }

    /** A new webhook secret: 32 random bytes, in hex. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** @throws Conflict when the name or the repository has a project already */
    public Project add(Project project) {
        synchronized (LOCK) {
            if (store.get(PREFIX + project.name()).isPresent()) {
                throw new Conflict("a project named '" + project.name() + "' exists already");
            }
            checkRepoFree(project);
            store.put(PREFIX + project.name(), encode(project));
            return project;
        }
    }

    /** Replaces a project, keeping its name. */
    public Project update(Project project) {
        synchronized (LOCK) {
            get(project.name());
            checkRepoFree(project);
            store.put(PREFIX + project.name(), encode(project));
            return project;
        }
    }

    public Project get(String name) {
        AccessName.check("project", name);
        return store.get(PREFIX + name).map(Projects::decode).orElseThrow(() -> new NotFound("no project '" + name + "'"));
    }

    /** The project of a GitHub repository ({@code owner/name}, in any case, as GitHub takes it). */
    public Optional<Project> forRepo(String fullName) {
        return list().stream().filter(p -> p.repo().equalsIgnoreCase(fullName)).findFirst();
    }

    public List<Project> list() {
        return store.list(PREFIX).values().stream().map(Projects::decode).toList();
    }

    public void remove(String name) {
        synchronized (LOCK) {
            get(name);
            store.delete(PREFIX + name);
        }
    }

    private void checkRepoFree(Project project) {
        forRepo(project.repo()).filter(p -> !p.name().equals(project.name())).ifPresent(p -> {
            throw new Conflict("the repository " + project.repo() + " is project '" + p.name() + "' already");
        });
    }

    /** Fails, saying why, unless this is a record projects:add would store. */
    static void checkRecord(String key, byte[] value) {
        Project p = decode(value);
        if (!key.equals(PREFIX + p.name())) {
            throw new UserError("the project's name is not its key's");
        }
    }

    private static byte[] encode(Project project) {
        return Json.write(project).getBytes(StandardCharsets.UTF_8);
    }

    private static Project decode(byte[] value) {
        try {
            return Json.MAPPER.readValue(value, Project.class);
        } catch (IOException e) {
            if (e.getCause() instanceof UserError invalid) {
                throw invalid;
            }
            throw new UserError("a project record is not JSON: " + Printable.of(e.getMessage(), 80));
        }
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url == null ? "" : url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme) || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                    || !scheme.equals("file") && uri.getHost() == null) {
                throw new URISyntaxException(url, "not an https://, http:// or file:// URL without user info");
            }
        } catch (URISyntaxException e) {
            throw new UserError("--url: '" + Printable.of(url, 120) + "' is not an https://, http:// or file:// clone URL"
                    + " (without user info: give a token with --github-token-file)");
        }
    }

    private static void checkGlob(String glob) {
        if (glob == null || !GLOB.matcher(glob).matches() || glob.contains("..")) {
            throw new UserError("--branch: '" + Printable.of(glob, 80) + "' is not a branch name or glob (letters, digits, . _ - / *)");
        }
        if (!glob.contains("*")) {
            BranchName.check(glob);
        }
    }
}
