package io.octohost.command;

import io.octohost.app.Json;
import io.octohost.app.AppName;
import io.octohost.app.Domain;
import io.octohost.app.UserError;
import io.octohost.app.ConfigKeys;
import io.octohost.state.AppConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** domains, domains:set, domains:add, domains:remove: the host names an app answers to besides APP.DOMAIN. */
final class DomainCommands {
    private DomainCommands() {
    }

    @Command(name = "domains", description = "List the domains an app answers to: APP.DOMAIN and its extra ones.",
            footer = {"Example:", "  octo domains hello"})
    static final class Show extends OctoCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Show(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            List<String> all = inv.services().configs().allDomains(name);
            if (json) {
                inv.out().println(Json.write(all));
                return;
            }
            Human.Table table = Human.table("DOMAIN");
            all.forEach(table::row);
            table.print(inv, name + " has no domains");
        }
    }

    /** The shared part of the three changing commands: parse, compute the new set, apply it. */
    abstract static class Change extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "DOMAIN")
        List<String> domains;

        Change(Invocation invocation) {
            super(invocation);
        }

        abstract TreeSet<Domain> next(TreeSet<Domain> current, List<Domain> given);

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            List<Domain> given = domains.stream().map(Domain::of).toList();
            AppConfigs configs = inv.services().configs();
            Domain own = inv.services().settings().domains().defaultDomain(name);
            TreeSet<Domain> next = next(new TreeSet<>(ConfigKeys.domains(configs.own(name))), given);
            next.remove(own);
            ConfigChange.apply(inv, name, Map.of(ConfigKeys.DOMAINS, ConfigKeys.formatDomains(next)), Set.of(),
                    ConfigChange.Effect.REROUTE, "domains");
            inv.out().println(name + " answers to " + own + (next.isEmpty() ? "" : " " + ConfigKeys.formatDomains(next)));
        }
    }

    @Command(name = "domains:set", description = "Replace an app's domains.",
            footer = {"Example:", "  octo domains:set hello www.example.com example.com"})
    static final class SetDomains extends Change {
        SetDomains(Invocation invocation) {
            super(invocation);
        }

        @Override
        TreeSet<Domain> next(TreeSet<Domain> current, List<Domain> given) {
            return new TreeSet<>(given);
        }
    }

    @Command(name = "domains:add", description = "Add domains to an app.",
            footer = {"Example:", "  octo domains:add hello www.example.com"})
    static final class Add extends Change {
        Add(Invocation invocation) {
            super(invocation);
        }

        @Override
        TreeSet<Domain> next(TreeSet<Domain> current, List<Domain> given) {
            current.addAll(given);
            return current;
        }
    }

    @Command(name = "domains:remove", description = "Remove domains from an app.",
            footer = {"Example:", "  octo domains:remove hello www.example.com"})
    static final class Remove extends Change {
        Remove(Invocation invocation) {
            super(invocation);
        }

        @Override
        TreeSet<Domain> next(TreeSet<Domain> current, List<Domain> given) {
            for (Domain d : given) {
                if (!current.remove(d)) {
                    throw new UserError(app + " has no domain " + d);
                }
            }
            return current;
        }
    }
}
