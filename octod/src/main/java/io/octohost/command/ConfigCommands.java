package io.octohost.command;

import io.octohost.app.Json;
import io.octohost.app.AppName;
import io.octohost.app.ConfigKeys;
import io.octohost.app.ShellWords;
import io.octohost.app.UserError;
import io.octohost.state.AppConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** config, config:get, config:set, config:unset, config:export: an app's environment and reserved keys. */
final class ConfigCommands {
    private ConfigCommands() {
    }

    @Command(name = "config", description = "Show an app's config: its own keys and those it inherits from its base app.",
            footer = {"Values are shell-quoted; config:get prints one exactly.", "Example:", "  octo config hello"})
    static final class Show extends OctoCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Option(names = "--json", description = "Print JSON: {\"KEY\": \"value\"}, inherited keys included.")
        boolean json;

        Show(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            AppConfigs configs = inv.services().configs();
            SortedMap<String, String> own = configs.own(name);
            SortedMap<String, String> effective = configs.effective(name, own);
            if (json) {
                inv.out().println(Json.write(effective));
                return;
            }
            boolean inherits = !own.keySet().containsAll(effective.keySet());
            Human.Table table = inherits ? Human.table("KEY", "VALUE", "FROM") : Human.table("KEY", "VALUE");
            String base = configs.base(name).map(AppName::value).orElse(null);
            effective.forEach((k, v) -> {
                if (inherits) {
                    table.row(k, ShellWords.quote(v), own.containsKey(k) ? "" : base);
                } else {
                    table.row(k, ShellWords.quote(v));
                }
            });
            table.print(inv, name + " has no config keys");
        }
    }

    @Command(name = "config:get", description = "Print one config value, exactly as stored.",
            footer = {"Example:", "  octo config:get hello GREETING"})
    static final class Get extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        Get(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            ConfigKeys.valid(key);
            AppConfigs configs = inv.services().configs();
            String value = configs.effective(name, configs.own(name)).get(key);
            if (value == null) {
                throw new UserError(name + " has no config key " + key);
            }
            inv.out().println(value);
        }
    }

    @Command(name = "config:set", description = "Set config keys and restart the app with them.",
            footer = {"Also takes octohost's form: config:set APP/KEY VALUE",
                "Reserved keys: DOMAINS, CONTAINERS, MEMORY_LIMIT, NO_HTTP_PROXY steer octohost and are not in the env.",
                "Example:", "  octo config:set hello GREETING='hello world' CONTAINERS=2"})
    static final class Set_ extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP", description = "The app, or APP/KEY followed by VALUE.")
        String app;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE")
        List<String> pairs;

        @Option(names = "--no-restart", description = "Store only; the change joins the next deploy or restart.")
        boolean noRestart;

        Set_(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Map<String, String> set = new LinkedHashMap<>();
            String appName = app;
            int slash = app.indexOf('/');
            if (slash >= 0) {
                if (pairs.size() != 1) {
                    throw new UserError("the form config:set APP/KEY VALUE takes exactly one value");
                }
                appName = app.substring(0, slash);
                set.put(app.substring(slash + 1), pairs.get(0));
            } else {
                for (String pair : pairs) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new UserError("'" + pair + "' is not KEY=VALUE");
                    }
                    set.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            AppName name = inv.services().app(appName);
            ConfigChange.apply(inv, name, set, Set.of(), noRestart ? ConfigChange.Effect.STORE_ONLY : ConfigChange.Effect.RESTART,
                    "config:set " + String.join(" ", set.keySet()));
            inv.out().println("set " + String.join(", ", set.keySet()) + " of " + name);
        }
    }

    @Command(name = "config:unset", description = "Remove config keys and restart the app without them.",
            footer = {"Example:", "  octo config:unset hello GREETING"})
    static final class Unset extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY")
        List<String> keys;

        @Option(names = "--no-restart", description = "Store only; the change joins the next deploy or restart.")
        boolean noRestart;

        Unset(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            Set<String> unset = new LinkedHashSet<>(keys);
            ConfigChange.apply(inv, name, Map.of(), unset, noRestart ? ConfigChange.Effect.STORE_ONLY : ConfigChange.Effect.RESTART,
                    "config:unset " + String.join(" ", unset));
            inv.out().println("unset " + String.join(", ", unset) + " of " + name);
        }
    }

    @Command(name = "config:export", description = "Print the app's env as a shell-quoted env file (export KEY='value').",
            footer = {"Example:", "  octo config:export hello > hello.env"})
    static final class Export extends OctoCommand {
        @Parameters(paramLabel = "APP")
        String app;

        Export(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            TreeMap<String, String> env = new TreeMap<>(inv.services().configs().runConfig(name).env());
            env.forEach((k, v) -> inv.out().println("export " + k + "=" + ShellWords.quote(v)));
        }
    }
}
