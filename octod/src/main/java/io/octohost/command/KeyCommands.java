package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.Json;
import io.octohost.state.Keys;
import io.octohost.state.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** keys:add, keys:list and keys:remove: who may push and run commands. */
final class KeyCommands {
    private KeyCommands() {
    }

    @Command(name = "keys:add", description = "Add an SSH public key, read from standard input.",
            footer = {"Example:", "  octo keys:add ci --role deploy --app shop < ci.pub"})
    static final class Add extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "A name for the key.")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin", completionCandidates = Completion.Roles.class,
                description = "admin (push and run commands) or deploy (push only). Default: ${DEFAULT-VALUE}.")
        String role;

        @Option(names = "--app", paramLabel = "APP", description = "Limit a deploy key to pushing this app (and its branches); repeat for more.")
        List<String> apps = new ArrayList<>();

        Add(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Role parsedRole = Role.parse(role);
            Keys.validName(name);
            Set<AppName> limit = AppName.allOf(apps);
            Keys.Key key = inv.services().keys().add(name, parsedRole, limit, inv.readStdin());
            inv.out().println("added key " + key.name() + " (" + key.role().label() + limitText(key) + ") " + key.fingerprint());
        }
    }

    private static String limitText(Keys.Key key) {
        return key.apps().isEmpty() ? "" : ", limited to " + String.join(", ", key.apps().stream().map(AppName::value).toList());
    }

    @Command(name = "keys:list", description = "List the SSH keys: name, role, apps, fingerprint.",
            footer = {"Example:", "  octo keys:list"})
    static final class ListKeys extends OctoCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListKeys(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            List<Row> keys = inv.services().keys().list().stream()
                    .map(k -> new Row(k.name(), k.role().label(), k.apps().stream().map(AppName::value).toList(), k.fingerprint()))
                    .toList();
            if (json) {
                inv.out().println(Json.write(keys));
                return;
            }
            Human.Table table = Human.table("NAME", "ROLE", "APPS", "FINGERPRINT");
            keys.forEach(k -> table.row(k.name(), k.role(), k.apps().isEmpty() ? "all" : String.join(",", k.apps()), k.fingerprint()));
            table.print(inv, "no keys yet: add one with octo keys:add NAME < key.pub");
        }

        /** A key as listed: the apps it is limited to (none: every app). */
        record Row(String name, String role, List<String> apps, String fingerprint) {
        }
    }

    @Command(name = "keys:remove", description = "Remove an SSH key.",
            footer = {"Example:", "  octo keys:remove alice"})
    static final class Remove extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "The key's name.")
        String name;

        Remove(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            inv.services().keys().remove(name);
            inv.out().println("removed key " + name);
        }
    }
}
