package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.Json;
import io.octohost.auth.Tokens;
import io.octohost.state.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** tokens:create, tokens:list and tokens:revoke: who may call the HTTP API. */
final class TokenCommands {
    private TokenCommands() {
    }

    @Command(name = "tokens:create", description = "Create an API token and print it, once: octod keeps only its hash.",
            footer = {"Use it as 'Authorization: Bearer TOKEN', or as the password of HTTP basic auth (any user name).",
                    "Example: octo tokens:create ci --role deploy --app shop"})
    static final class Create extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "A name for the token.")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin",
                description = "admin (everything) or deploy (build, push and read apps). Default: ${DEFAULT-VALUE}.")
        String role;

        @Option(names = "--app", paramLabel = "APP", description = "Limit a deploy token to this app; repeat for more.")
        List<String> apps = new ArrayList<>();

        Create(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Set<AppName> limit = new TreeSet<>();
            apps.forEach(a -> limit.add(AppName.of(a)));
            String token = inv.services().tokens().create(name, Role.parse(role), limit);
            inv.out().println(token);
        }
    }

    @Command(name = "tokens:list", description = "List the API tokens: name, role, apps, created, last used. Never the tokens.")
    static final class ListTokens extends OctoCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListTokens(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            List<Map<String, Object>> rows = inv.services().tokens().list().stream().map(TokenCommands::row).toList();
            if (json) {
                inv.out().println(Json.write(rows));
                return;
            }
            for (Map<String, Object> r : rows) {
                List<?> limit = (List<?>) r.get("apps");
                inv.out().println(r.get("name") + "\t" + r.get("role") + "\t" + (limit.isEmpty() ? "all apps" : String.join(",",
                        limit.stream().map(Object::toString).toList())) + "\t" + r.get("created") + "\t"
                        + (r.get("last_used") == null ? "never used" : "used " + r.get("last_used")));
            }
        }
    }

    private static Map<String, Object> row(Tokens.Token t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", t.name());
        row.put("role", t.role().label());
        row.put("apps", t.apps().stream().map(AppName::value).toList());
        row.put("created", t.created().toString());
        row.put("last_used", java.util.Optional.ofNullable(t.lastUsed()).map(Instant::toString).orElse(null));
        return row;
    }

    @Command(name = "tokens:revoke", description = "Revoke an API token: it stops working at once.")
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
