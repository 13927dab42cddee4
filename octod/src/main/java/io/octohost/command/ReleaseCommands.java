package io.octohost.command;

import io.octohost.app.Json;
import io.octohost.app.AppName;
import io.octohost.app.Release;
import io.octohost.app.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** releases and rollback: what ran, and going back to it without a build. */
final class ReleaseCommands {
    private ReleaseCommands() {
    }

    @Command(name = "releases", description = "List an app's releases, newest first; * marks the one running.")
    static final class ListReleases extends OctoCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListReleases(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Services s = inv.services();
            AppName name = s.app(app);
            List<Map<String, Object>> rows = new AppViews(s).releases(name);
            if (json) {
                inv.out().println(Json.write(rows));
                return;
            }
            for (Map<String, Object> row : rows) {
                String mark = Boolean.TRUE.equals(row.get("current")) ? "*" : Boolean.TRUE.equals(row.get("rollback")) ? " " : "x";
                inv.out().println(mark + " " + row.get("release") + "\t" + ((String) row.get("commit")).substring(0, 7) + "\t"
                        + row.get("time") + "\t" + row.get("by") + "\t" + row.get("description"));
            }
            if (!rows.isEmpty()) {
                inv.out().println("(* running, x image deleted: cannot be rolled back to)");
            }
        }
    }

    @Command(name = "rollback", description = "Run an earlier release again (default: the one before the current), as a new release.")
    static final class Rollback extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", arity = "0..1", paramLabel = "vN")
        String target;

        Rollback(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            OptionalInt number = Optional.ofNullable(target).map(t -> {
                if (!t.matches("v?[1-9][0-9]{0,8}")) {
                    throw new UserError("invalid release '" + t + "': give vN, e.g. v3");
                }
                return OptionalInt.of(Integer.parseInt(t.replaceFirst("^v", "")));
            }).orElse(OptionalInt.empty());
            Release release = inv.services().pipeline().rollback(name, number, inv.caller().name(), new OutputProgress(inv.out()));
            inv.out().println(name + " runs " + release.label() + " (" + release.description() + ")");
        }
    }
}
