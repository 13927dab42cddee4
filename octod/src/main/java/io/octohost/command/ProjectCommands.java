package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.Json;
import io.octohost.app.UserError;
import io.octohost.state.Projects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * projects:add, projects:list, projects:info and projects:remove: GitHub repositories whose pushes
 * deploy an app through the webhook {@code POST /v1/hooks/github}. Secrets come from files (or
 * standard input, {@code -}), never from arguments, which {@code ps} shows.
 */
final class ProjectCommands {
    /** A secret file is one line; anything longer is not a secret given by mistake. */
    private static final int MAX_SECRET_BYTES = 4096;

    private ProjectCommands() {
    }

    @Command(name = "projects:add", description = "Link a GitHub repository to an app: its pushes to tracked branches deploy.",
            footer = {"Without --secret-file a webhook secret is made and printed, once: give it to GitHub's webhook settings.",
                    "Example:", "  octo projects:add shop --repo acme/shop --url https://github.com/acme/shop.git --app shop \\",
                    "      --branch main --branch 'feature/*' --github-token-file /root/shop-token"})
    static final class Add extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "A name for the project.")
        String name;

        @Option(names = "--repo", required = true, paramLabel = "OWNER/REPO", description = "The GitHub repository.")
        String repo;

        @Option(names = "--url", required = true, paramLabel = "CLONE_URL", description = "Where builds fetch from (https://, file://).")
        String url;

        @Option(names = "--app", required = true, paramLabel = "APP", description = "The app the default branch deploys; other branches deploy APP-BRANCH.")
        String app;

        @Option(names = "--branch", paramLabel = "GLOB", description = "A branch (or glob: feature/*) that builds; repeat for more. Default: the default branch only.")
        List<String> branches = new ArrayList<>();

        @Option(names = "--secret-file", paramLabel = "FILE", description = "The webhook secret, read from this file on octod's host (- : standard input).")
        String secretFile;

        @Option(names = "--github-token-file", paramLabel = "FILE", description = "A GitHub token (scope repo:status) for commit statuses, read from this file (- : standard input).")
        String tokenFile;

        Add(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            if ("-".equals(secretFile) && "-".equals(tokenFile)) {
                throw new UserError("only one of --secret-file and --github-token-file can be read from standard input");
            }
            String secret = secretFile == null ? Projects.newSecret() : read(inv, "--secret-file", secretFile);
            String token = tokenFile == null ? null : read(inv, "--github-token-file", tokenFile);
            Projects.Project p = projects(inv).add(new Projects.Project(name, repo, url, AppName.of(app), branches, secret, token));
            inv.out().println("added project " + p.name() + ": " + p.repo() + " deploys " + p.app());
            if (secretFile == null) {
                inv.out().println("webhook secret (shown only now): " + secret);
            }
        }
    }

    @Command(name = "projects:list", description = "List the GitHub projects. Never their secrets.",
            footer = {"Example:", "  octo projects:list"})
    static final class ListProjects extends OctoCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListProjects(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            List<Projects.View> views = projects(inv).list().stream().map(Projects.Project::view).toList();
            if (json) {
                inv.out().println(Json.write(views));
                return;
            }
            Human.Table table = Human.table("NAME", "REPO", "APP", "BRANCHES", "STATUSES");
            views.forEach(v -> table.row(v.name(), v.repo(), v.app(), branches(v), v.githubTokenSet() ? "yes" : "no"));
            table.print(inv, "no projects yet: add one with octo projects:add");
        }
    }

    @Command(name = "projects:info", description = "Show a GitHub project; its secrets only as set or not.",
            footer = {"Example:", "  octo projects:info shop"})
    static final class Info extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "The project's name.")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Info(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Projects.View v = projects(inv).get(name).view();
            if (json) {
                inv.out().println(Json.write(v));
                return;
            }
            Human.fields().field("Project", v.name()).field("Repo", v.repo()).field("Clone URL", v.url()).field("App", v.app())
                    .field("Branches", branches(v)).field("Webhook secret", v.secretSet() ? "set" : "not set")
                    .field("GitHub token", v.githubTokenSet() ? "set (commit statuses on)" : "not set (no commit statuses)").print(inv);
        }
    }

    @Command(name = "projects:remove", description = "Remove a GitHub project: its webhook deliveries are refused from now on. The app stays.",
            footer = {"Example:", "  octo projects:remove shop"})
    static final class Remove extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "The project's name.")
        String name;

        Remove(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            projects(inv).remove(name);
            inv.out().println("removed project " + name);
        }
    }

    private static Projects projects(Invocation inv) {
        return new Projects(inv.services().store());
    }

    private static String branches(Projects.View v) {
        return v.branches().isEmpty() ? "the default branch" : String.join(", ", v.branches());
    }

    /** A secret from a file of octod's host (an absolute path, as octod runs elsewhere than octo) or standard input. */
    private static String read(Invocation inv, String option, String file) {
        String text;
        if (file.equals("-")) {
            text = inv.readStdin();
        } else {
            Path path = Path.of(file);
            if (!path.isAbsolute()) {
                throw new UserError(option + ": give an absolute path (octod reads it on its host), or - for standard input");
            }
            try {
                if (Files.size(path) > MAX_SECRET_BYTES) {
                    throw new UserError(option + ": " + file + " is larger than " + MAX_SECRET_BYTES + " bytes: is it the secret?");
                }
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        String secret = text.strip();
        if (secret.isEmpty() || secret.contains("\n")) {
            throw new UserError(option + ": the file must hold the secret on one line");
        }
        return secret;
    }
}
