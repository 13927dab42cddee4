package io.octohost.command;

import io.octohost.app.Json;
import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.state.AppClaims;
import io.octohost.app.ConfigKeys;
import io.octohost.deploy.ConfigEdit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** apps:list, apps:info, apps:restart, apps:destroy, ps:scale. */
final class AppCommands {
    private AppCommands() {
    }

    @Command(name = "apps:list", aliases = "apps", description = "List the apps.")
    static final class ListApps extends OctoCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListApps(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Services s = inv.services();
            List<Map<String, Object>> apps = s.claims().apps().stream().map(a -> new AppViews(s).describe(a)).toList();
            if (json) {
                inv.out().println(Json.write(apps));
                return;
            }
            for (Map<String, Object> app : apps) {
                List<?> containers = (List<?>) app.get("containers");
                inv.out().println(app.get("name") + "\t" + Optional.ofNullable(app.get("release")).orElse("-") + "\t"
                        + containers.size() + (containers.size() == 1 ? " container" : " containers") + "\t" + app.get("url"));
            }
        }
    }

    @Command(name = "apps:info", aliases = "ps", description = "Show an app: release, containers, domains.")
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
            Map<String, Object> info = new AppViews(inv.services()).describe(inv.services().app(app));
            if (json) {
                inv.out().println(Json.write(info));
                return;
            }
            info.forEach((k, v) -> {
                if (v instanceof List<?> list && k.equals("containers")) {
                    inv.out().println("containers:");
                    list.forEach(c -> inv.out().println("  " + c));
                } else {
                    inv.out().println(k + ": " + (v instanceof List<?> l ? String.join(" ", l.stream().map(Object::toString).toList()) : v));
                }
            });
        }
    }

    @Command(name = "apps:restart", description = "Start new containers of the current release with the current config.")
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

    @Command(name = "apps:destroy", description = "Remove an app: containers, images, repo, config and route.")
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
            inv.out().println("destroyed " + name);
        }
    }

    @Command(name = "ps:scale", description = "Run N containers of the app behind its route (0 stops it, and keeps it).")
    static final class Scale extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "N")
        String count;

        Scale(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            int n = inv.services().configs().containers(count);
            ConfigChange.apply(inv, name, Map.of(ConfigKeys.CONTAINERS, Integer.toString(n)), java.util.Set.of(),
                    ConfigChange.Effect.RESTART, "scale to " + n);
            inv.out().println(name + " runs " + n + (n == 1 ? " container" : " containers"));
        }
    }
}
