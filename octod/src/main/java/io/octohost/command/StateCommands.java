package io.octohost.command;

import io.octohost.state.ConsulStateStore;
import io.octohost.state.StateDump;
import io.octohost.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedMap;

/** state:export and state:import: the whole state as text, to move it between the embedded store and Consul. */
final class StateCommands {
    private StateCommands() {
    }

    @Command(name = "state:export",
            description = "Print every app's config and domains and octod's records (keys, apps, releases) as JSON lines,"
                    + " values base64-encoded, byte-exact.",
            footer = {"Example, from the embedded store to Consul:",
                "  octo state:export > state.jsonl        (octod running with --state embedded)",
                "  octo state:import < state.jsonl        (octod running with --state consul)"})
    static final class Export extends OctoCommand {
        Export(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            SortedMap<String, byte[]> all = StateDump.read(inv.services().store());
            inv.raw(StateDump.write(all).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Command(name = "state:import",
            description = "Read the output of state:export (or an embedded store's state.db) from standard input and store"
                    + " every key. The whole input is checked first: one bad line changes nothing.",
            footer = {"The embedded store applies an import in one transaction. Consul takes at most "
                    + ConsulStateStore.MAX_TXN_OPS + " changes per transaction,",
                "so a larger import is applied in chunks of " + ConsulStateStore.MAX_TXN_OPS
                    + ": if it is interrupted, run it again (it is idempotent).",
                "Routes and containers follow the imported config at the next deploy or restart.",
                "Example:", "  octo state:import --replace < state.jsonl"})
    static final class Import extends OctoCommand {
        @Option(names = "--replace",
                description = "Also delete the keys under octohost/ and octod/ that the input does not have.")
        boolean replace;

        Import(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            SortedMap<String, byte[]> wanted = StateDump.parse(inv.readStdin());
            StateStore store = inv.services().store();
            List<StateStore.Change> changes = StateDump.changes(StateDump.read(store), wanted, replace);
            int chunk = store instanceof ConsulStateStore ? ConsulStateStore.MAX_TXN_OPS : Math.max(1, changes.size());
            int transactions = 0;
            for (int from = 0; from < changes.size(); from += chunk) {
                store.apply(changes.subList(from, Math.min(changes.size(), from + chunk)));
                transactions++;
            }
            long deleted = changes.stream().filter(c -> c instanceof StateStore.Change.Delete).count();
            inv.out().println("imported " + wanted.size() + (wanted.size() == 1 ? " key" : " keys") + ": "
                    + (changes.size() - deleted) + " written, " + (wanted.size() - (changes.size() - deleted)) + " unchanged"
                    + (replace ? ", " + deleted + " deleted" : "")
                    + (transactions > 1 ? " (in " + transactions + " transactions)" : ""));
        }
    }
}
