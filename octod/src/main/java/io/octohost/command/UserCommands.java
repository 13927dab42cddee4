package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.Json;
import io.octohost.app.UserError;
import io.octohost.auth.Users;
import io.octohost.state.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** users:add, users:list, users:remove and users:passwd: who may log in with a password (octo login). */
final class UserCommands {
    private UserCommands() {
    }

    /** The password: the first line of standard input (never an argument, which ps would show). */
    private static String password(Invocation inv) {
        String line = inv.readStdin().lines().findFirst().orElse("");
        if (line.isEmpty()) {
            throw new UserError("give the password on standard input (e.g. octo users:add EMAIL < password-file)");
        }
        return line;
    }

    @Command(name = "users:add", description = "Add a user who logs in with an email and a password (octo login); the password is read from standard input.",
            footer = {"Example:", "  octo users:add alice@example.com --role deploy --app shop < password-file"})
    static final class Add extends OctoCommand {
        @Parameters(paramLabel = "EMAIL", description = "The user's email: what octo login asks for.")
        String email;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "deploy", completionCandidates = Completion.Roles.class,
                description = "admin (everything) or deploy (push, build and read apps). Default: ${DEFAULT-VALUE}.")
        String role;

        @Option(names = "--app", paramLabel = "APP", description = "Limit a deploy user to this app (and its branches); repeat for more.")
        List<String> apps = new ArrayList<>();

        Add(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Role parsedRole = Role.parse(role);
            Users.checkEmail(email);
            Set<AppName> limit = AppName.allOf(apps);
            Users.User user = inv.services().users().add(email, parsedRole, limit, password(inv));
            inv.out().println("added user " + user.email() + " (" + user.role().label()
                    + (user.apps().isEmpty() ? "" : ", limited to " + String.join(", ", user.apps().stream().map(AppName::value).toList())) + ")");
        }
    }

    @Command(name = "users:list", description = "List the users: email, role, apps, created. Never a password.",
            footer = {"Example:", "  octo users:list"})
    static final class ListUsers extends OctoCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListUsers(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            List<Row> rows = inv.services().users().list().stream().map(u -> new Row(u.email(), u.role().label(),
                    u.apps().stream().map(AppName::value).toList(), u.created())).toList();
            if (json) {
                inv.out().println(Json.write(rows));
                return;
            }
            Human.Table table = Human.table("EMAIL", "ROLE", "APPS", "CREATED");
            rows.forEach(r -> table.row(r.email(), r.role(), r.apps().isEmpty() ? "all" : String.join(",", r.apps()), r.created()));
            table.print(inv, "no users yet: add one with octo users:add EMAIL < password-file");
        }

        record Row(String email, String role, List<String> apps, Instant created) {
        }
    }

    @Command(name = "users:remove", description = "Remove a user: their login tokens stop working at once.",
            footer = {"Example:", "  octo users:remove alice@example.com"})
    static final class Remove extends OctoCommand {
        @Parameters(paramLabel = "EMAIL", description = "The user's email.")
        String email;

        Remove(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            inv.services().users().remove(email);
            inv.out().println("removed user " + email);
        }
    }

    @Command(name = "users:passwd", description = "Set a user's password, read from standard input.",
            footer = {"Example:", "  octo users:passwd alice@example.com < password-file"})
    static final class Passwd extends OctoCommand {
        @Parameters(paramLabel = "EMAIL", description = "The user's email.")
        String email;

        Passwd(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            inv.services().users().setPassword(email, password(inv));
            inv.out().println("password of " + email + " changed");
        }
    }
}
