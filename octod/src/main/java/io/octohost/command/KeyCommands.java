package io.octohost.command;

import io.octohost.app.Json;
import io.octohost.state.Keys;
import io.octohost.state.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** keys:add, keys:list and keys:remove: who may push and run commands. */
final class KeyCommands {
    private KeyCommands() {
    }

    @Command(name = "keys:add", description = "Add an SSH public key, read from standard input.",
            footer = {"Example:", "  octo keys:add alice --role deploy < alice.pub"})
    static final class Add extends OctoCommand {
        @Parameters(paramLabel = "NAME", description = "A name for the key.")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin", completionCandidates = Completion.Roles.class,
                description = "admin (push and run commands) or deploy (push only). Default: ${DEFAULT-VALUE}.")
        String role;

        Add(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Role parsedRole = Role.parse(role);
            Keys.validName(name);
            Keys.Key key = inv.services().keys().add(name, parsedRole, inv.readStdin());
            inv.out().println("added key " + key.name() + " (" + key.role().label() + ") " + key.fingerprint());
        }
    }

    @Command(name = "keys:list", description = "List the SSH keys: name, role, fingerprint.",
            footer = {"Example:", "  octo keys:list"})
    static final class ListKeys extends OctoCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListKeys(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            List<Row> keys = inv.services().keys().list().stream().map(k -> new Row(k.name(), k.role().label(), k.fingerprint()))
                    .toList();
            if (json) {
                inv.out().println(Json.write(keys));
                return;
            }
            Human.Table table = Human.table("NAME", "ROLE", "FINGERPRINT");
            keys.forEach(k -> table.row(k.name(), k.role(), k.fingerprint()));
            table.print(inv, "no keys yet: add one with octo keys:add NAME < key.pub");
        }

        /** A key as listed. */
        record Row(String name, String role, String fingerprint) {
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
