package io.octohost.command;

import io.octohost.app.Json;
import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.state.AppClaims;
import io.octohost.app.ConfigKeys;
import io.octohost.app.Procfile;
import io.octohost.app.Release;
import io.octohost.app.ScaleCounts;
import io.octohost.deploy.ConfigEdit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** apps:list, apps:info, apps:restart, apps:destroy, ps:scale. */
final class AppCommands {
    private AppCommands() {
    }

    @Command(name = "apps:list", aliases = "apps", description = "List the apps: release, containers, URL.",
            footer = {"Example:", "  octo apps:list"})
    static final class ListApps extends OctoCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Option(names = {"-q", "--quiet"}, description = "Print only the names, one a line.")
        boolean quiet;

        ListApps(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppViews views = new AppViews(inv.services());
            if (quiet) {
                views.apps().forEach(inv.out()::println);
                return;
            }
            List<AppDirectory.App> apps = views.apps().stream().map(views::describe).toList();
            if (json) {
                inv.out().println(Json.write(apps));
                return;
            }
            Human.Table table = Human.table("APP", "RELEASE", "CONTAINERS", "URL");
            apps.forEach(a -> table.row(a.name(), a.release(), containers(a), a.url()));
            table.print(inv, "no apps yet: push one (git push ssh://git@HOST:2222/APP master)");
        }

        private static String containers(AppDirectory.App app) {
            int all = app.containers().size();
            long running = app.running();
            return all == 0 ? "none" : running == all ? running + " running" : running + " of " + all + " running";
        }
    }

    @Command(name = "apps:info", aliases = "ps", description = "Show an app: repo, release, domains, URL and its containers.",
            footer = {"Example:", "  octo ps hello"})
    static final class Info extends OctoCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Info(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppDirectory.App info = new AppViews(inv.services()).describe(inv.services().app(app));
            if (json) {
                inv.out().println(Json.write(info));
                return;
            }
            Human.Fields fields = Human.fields()
                    .field("App", info.name())
                    .field("Repo", info.repo() + ", branch " + info.branch())
                    .field("Release", info.release() == null ? null : info.release() + ", commit " + Human.shortId(info.commit(), 7))
                    .field("Domains", info.domains())
                    .field("URL", info.url());
            if (info.containers().isEmpty()) {
                fields.field("Containers", "none").print(inv);
                return;
            }
            fields.print(inv);
            inv.out().println();
            // Swarm tasks run on nodes; containers of this host have none
            boolean onNodes = info.containers().stream().anyMatch(c -> c.node() != null);
            Human.Table table = onNodes ? Human.table("CONTAINER", "TYPE", "ID", "STATE", "PORT", "NODE")
                    : Human.table("CONTAINER", "TYPE", "ID", "STATE", "PORT");
            info.containers().forEach(c -> table.row(onNodes
                    ? new Object[] {c.name(), c.type(), Human.shortId(c.id(), 12), c.state(), c.port(), c.node()}
                    : new Object[] {c.name(), c.type(), Human.shortId(c.id(), 12), c.state(), c.port()}));
            table.print(inv, "");
        }
    }

    @Command(name = "apps:restart", description = "Start new containers of the current release with the current config.",
            footer = {"Example:", "  octo apps:restart hello"})
    static final class Restart extends OctoCommand {
        @Parameters(paramLabel = "APP")
        String app;

        Restart(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            if (inv.services().releases().current(name).isEmpty()) {
                throw new UserError(name + " has no release yet: push it first");
            }
            inv.services().pipeline().changeConfig(name, ConfigEdit.NONE, true, inv.caller().name(), "restart",
                    new OutputProgress(inv.out()));
        }
    }

    @Command(name = "apps:destroy", description = "Remove an app: containers, images, repo, config, route and builds.",
            footer = {"Example:", "  octo apps:destroy hello --confirm hello"})
    static final class Destroy extends OctoCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Option(names = "--confirm", paramLabel = "APP", required = true, description = "The app's name again.")
        String confirm;

        Destroy(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Services s = inv.services();
            AppName name = s.app(app);
            if (!app.equals(confirm)) {
                throw new UserError("--confirm must repeat the app's name: " + name);
            }
            AppClaims.Owner owner = s.claims().owner(name).orElseThrow();
            s.pipeline().destroy(name, new OutputProgress(inv.out()));
            s.repos().forget(owner.repo(), owner.branch(), s.claims().appsOf(owner.repo()).isEmpty());
            s.builds().forget(name);
            inv.out().println("destroyed " + name);
        }
    }

    @Command(name = "ps:scale", description = "Run N containers of each process type (N alone: of web, behind the route;"
            + " 0 stops them, and keeps the app).",
            footer = {"Example:", "  octo ps:scale hello 3", "  octo ps:scale hello web=2 worker=1"})
    static final class Scale extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "N|TYPE=N")
        List<String> counts;

        Scale(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            Set<String> types = inv.services().releases().current(name).map(Release::types).orElse(new TreeSet<>(Set.of(Procfile.WEB)));
            SortedMap<String, Integer> wanted = ScaleCounts.arguments(counts, types, inv.services().configs().maxContainers());
            Map<String, String> set = new TreeMap<>();
            Integer web = wanted.get(Procfile.WEB);
            if (web != null) {
                set.put(ConfigKeys.CONTAINERS, Integer.toString(web));
            }
            if (web == null || wanted.size() > 1) {
                SortedMap<String, Integer> others = new TreeMap<>(inv.services().configs().runConfig(name).scale());
                others.putAll(wanted);
                set.put(ConfigKeys.PS_SCALE, ScaleCounts.format(others));
            }
            // N alone says it as before process types; TYPE=N pairs name each type
            String said = counts.size() == 1 && web != null && !counts.get(0).contains("=")
                    ? web + (web == 1 ? " container" : " containers")
                    : String.join(" ", wanted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            ConfigChange.apply(inv, name, set, Set.of(), ConfigChange.Effect.RESTART,
                    said.contains("=") ? "scale " + said : "scale to " + web);
            inv.out().println(name + " runs " + said);
        }
    }
}
