package io.octohost.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.octohost.app.AppName;
import io.octohost.app.Json;
import io.octohost.state.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** tokens:create, tokens:list and tokens:revoke: who may call the HTTP API. */
final class TokenCommands {
    private TokenCommands() {
    }

    @Command(name = "tokens:create", description = "Create an API token and print it, once: octod keeps only its hash.",
            footer = {"Use it as 'Authorization: Bearer TOKEN', or as the password of HTTP basic auth (any user name).",
                    "Example:", "  octo tokens:create ci --role deploy --app shop"})
    static final class Create extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "A name for the token.")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin", completionCandidates = Completion.Roles.class,
                description = "admin (everything) or deploy (build, push and read apps). Default: ${DEFAULT-VALUE}.")
        String role;

        @Option(names = "--app", paramLabel = "APP", description = "Limit a deploy token to this app; repeat for more.")
        List<String> apps = new ArrayList<>();

        Create(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Set<AppName> limit = AppName.allOf(apps);
            String token = inv.services().tokens().create(name, Role.parse(role), limit);
            inv.out().println(token);
        }
    }

    @Command(name = "tokens:list", description = "List the API tokens: name, role, apps, created, last used. Never the tokens.",
            footer = {"Example:", "  octo tokens:list"})
    static final class ListTokens extends OctoCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListTokens(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            List<Row> rows = inv.services().tokens().list().stream().map(t -> new Row(t.name(), t.role().label(),
                    t.apps().stream().map(AppName::value).toList(), t.created(), t.lastUsed())).toList();
            if (json) {
                inv.out().println(Json.write(rows));
                return;
            }
            Human.Table table = Human.table("NAME", "ROLE", "APPS", "CREATED", "LAST USED");
            rows.forEach(r -> table.row(r.name(), r.role(), r.apps().isEmpty() ? "all" : r.apps(), r.created(),
                    r.lastUsed() == null ? "never" : r.lastUsed()));
            table.print(inv, "no tokens yet: create one with octo tokens:create NAME");
        }

        /** A token as listed: never the token, nor its hash. */
        record Row(String name, String role, List<String> apps, Instant created, @JsonProperty("last_used") Instant lastUsed) {
        }
    }

    @Command(name = "tokens:revoke", description = "Revoke an API token: it stops working at once.",
            footer = {"Example:", "  octo tokens:revoke ci"})
    static final class Revoke extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "The token's name.")
        String name;

        Revoke(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            inv.services().tokens().revoke(name);
            inv.out().println("revoked token " + name);
        }
    }
}
