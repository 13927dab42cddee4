package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.Json;
import io.octohost.app.NotFound;
import io.octohost.builds.Build;
import io.octohost.builds.BuildService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** builds, builds:info, builds:logs, builds:artifacts and builds:cancel: an app's builds, whatever started them. */
final class BuildCommands {
    private BuildCommands() {
    }

    private static Build find(Invocation inv, String app, String id) {
        AppName name = inv.services().app(app);
        BuildId buildId = new BuildId(id);
        return inv.services().builds().find(name, buildId).orElseThrow(() -> new NotFound("no build '" + id + "' of " + name));
    }

    /** The command's standard output as bytes, passed on as they are (a log, an artifact). */
    private static OutputStream raw(Invocation inv) {
        return new OutputStream() {
            @Override
            public void write(int c) {
                inv.raw(new byte[] {(byte) c});
            }

            @Override
            public void write(byte[] bytes, int off, int len) {
                inv.raw(java.util.Arrays.copyOfRange(bytes, off, off + len));
            }
        };
    }

    @Command(name = "builds", description = "List an app's builds, newest first: id, status, trigger, who, source, created.",
            footer = {"Example:", "  octo builds hello"})
    static final class ListBuilds extends OctoCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ListBuilds(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            List<Build> builds = inv.services().builds().list(name);
            if (json) {
                inv.out().println(Json.write(builds));
                return;
            }
            Human.Table table = Human.table("ID", "STATUS", "TRIGGER", "BY", "SOURCE", "CREATED");
            builds.forEach(b -> table.row(b.id(), b.status().label(), b.trigger().label(), b.by(), b.source(), b.created()));
            table.print(inv, name + " has no builds");
        }
    }

    @Command(name = "builds:info", description = "Show one build: status, times, source, release, and why it ended so.",
            footer = {"Example:", "  octo builds:info hello build-42"})
    static final class Info extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "ID")
        String id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Info(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Build b = find(inv, app, id);
            if (json) {
                inv.out().println(Json.write(b));
                return;
            }
            Human.fields().field("Build", b.id()).field("App", b.app()).field("Status", b.status().label())
                    .field("Trigger", b.trigger().label()).field("By", b.by()).field("Source", b.source())
                    .field("Created", b.created()).field("Started", b.started()).field("Ended", b.ended())
                    .field("Release", b.release()).field("Reason", b.reason()).print(inv);
        }
    }

    @Command(name = "builds:logs", description = "Print a build's log.",
            footer = {"Example:", "  octo builds:logs hello build-42 -f"})
    static final class Logs extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "ID")
        String id;

        @Option(names = {"-f", "--follow"}, description = "Keep printing until the build ends.")
        boolean follow;

        Logs(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Build b = find(inv, app, id);
            try {
                inv.services().builds().writeLog(b.app(), b.id(), follow, raw(inv));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "builds:artifacts", description = "List a build's artifacts (name, bytes), or write one, byte for byte, to standard output.",
            footer = {"Examples:", "  octo builds:artifacts hello build-42", "  octo builds:artifacts hello build-42 report > report.txt"})
    static final class Artifacts extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "ID")
        String id;

        @Parameters(index = "2", paramLabel = "NAME", arity = "0..1")
        String name;

        Artifacts(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Build b = find(inv, app, id);
            BuildService builds = inv.services().builds();
            if (name == null) {
                Human.Table table = Human.table("NAME", "BYTES");
                builds.artifacts(b.app(), b.id()).forEach(a -> table.row(a.name(), a.bytes()));
                table.print(inv, "build " + b.id() + " kept no artifacts");
                return;
            }
            builds.artifact(b.app(), b.id(), name);
            try {
                builds.writeArtifact(b.app(), b.id(), name, raw(inv));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "builds:cancel", description = "Stop a running build: nothing is deployed, the running release keeps serving.")
    static final class Cancel extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "ID")
        String id;

        Cancel(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            Build b = inv.services().builds().cancel(inv.services().app(app), new BuildId(id), inv.caller().describe());
            inv.out().println(b.id() + "\t" + b.status().label() + (b.reason() == null ? "" : "\t" + b.reason()));
        }
    }
}
