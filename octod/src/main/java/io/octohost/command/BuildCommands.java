package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.BuildId;
import io.octohost.app.Json;
import io.octohost.app.NotFound;
import io.octohost.builds.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** builds, builds:info and builds:logs: the history of an app's builds, whatever started them. */
final class BuildCommands {
    private BuildCommands() {
    }

    private static Build find(Invocation inv, String app, String id) {
        AppName name = inv.services().app(app);
        BuildId buildId = new BuildId(id);
        return inv.services().builds().find(name, buildId).orElseThrow(() -> new NotFound("no build '" + id + "' of " + name));
    }

    private static String time(Instant t) {
        return t == null ? "-" : t.toString();
    }

    @Command(name = "builds", description = "List an app's builds, newest first: id, status, trigger, who, source, created.")
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
            List<Build> builds = inv.services().builds().list(inv.services().app(app));
            if (json) {
                inv.out().println(Json.write(builds));
                return;
            }
            builds.forEach(b -> inv.out().println(b.id() + "\t" + b.status().label() + "\t" + b.trigger().label() + "\t" + b.by()
                    + "\t" + b.source() + "\t" + b.created()));
        }
    }

    @Command(name = "builds:info", description = "Show one build: status, times, source, release, and why it ended so.")
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
            inv.out().println("id: " + b.id() + "\napp: " + b.app() + "\nstatus: " + b.status().label() + "\ntrigger: "
                    + b.trigger().label() + "\nby: " + b.by() + "\nsource: " + b.source() + "\ncreated: " + time(b.created())
                    + "\nstarted: " + time(b.started()) + "\nended: " + time(b.ended()) + "\nrelease: "
                    + (b.release() == null ? "-" : b.release()) + "\nreason: " + (b.reason() == null ? "-" : b.reason()));
        }
    }

    @Command(name = "builds:logs", description = "Print a build's log.")
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
            OutputStream out = new OutputStream() {
                @Override
                public void write(int c) {
                    inv.raw(new byte[] {(byte) c});
                }

                @Override
                public void write(byte[] bytes, int off, int len) {
                    inv.raw(java.util.Arrays.copyOfRange(bytes, off, off + len));
                }
            };
            try {
                inv.services().builds().writeLog(b.app(), b.id(), follow, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
