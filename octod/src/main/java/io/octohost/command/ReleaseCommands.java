package io.octohost.command;

import io.octohost.app.Json;
import io.octohost.app.AppName;
import io.octohost.app.Release;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/** releases and rollback: what ran, and going back to it without a build. */
final class ReleaseCommands {
    private ReleaseCommands() {
    }

    @Command(name = "releases", description = "List an app's releases, newest first: * marks the one running, x one whose"
            + " image is deleted (it cannot be rolled back to).",
            footer = {"Example:", "  octo releases hello"})
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
            List<AppDirectory.ReleaseRow> rows = new AppViews(s).releases(name);
            if (json) {
                inv.out().println(Json.write(rows));
                return;
            }
            Human.Table table = Human.table("", "RELEASE", "COMMIT", "CREATED", "BY", "DESCRIPTION");
            rows.forEach(r -> table.row(r.current() ? "*" : r.rollback() ? "" : "x", r.release(), Human.shortId(r.commit(), 7),
                    r.time(), r.by(), r.description()));
            table.print(inv, name + " has no releases yet: push it first");
        }
    }

    @Command(name = "rollback", description = "Run an earlier release again (default: the one before the current), as a new release.",
            footer = {"Example:", "  octo rollback hello v3"})
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
            Release release = inv.services().pipeline().rollback(name, number(target), inv.caller().name(), new OutputProgress(inv.out()));
            inv.out().println(name + " runs " + release.label() + " (" + release.description() + ")");
        }
    }

    @Command(name = "releases:source", description = "Write the source a release was built from (default: the current one) to"
            + " standard output, as a .tar.gz of its commit's tree. A rollback or config change shows the source of the release"
            + " that built its commit; an image deploy has none.",
            footer = {"Example:", "  octo releases:source hello v3 > hello-v3.tar.gz"})
    static final class Source extends OctoCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", arity = "0..1", paramLabel = "vN")
        String target;

        Source(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            AppName name = inv.services().app(app);
            try (InputStream in = inv.services().pipeline().sources().open(name, number(target)).tarGz()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    inv.raw(Arrays.copyOf(buffer, n));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A release named as {@code vN} or {@code N}; none when not given. */
    private static OptionalInt number(String target) {
        return target == null ? OptionalInt.empty() : OptionalInt.of(Release.number(target));
    }
}
