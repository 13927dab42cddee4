package io.octohost.command;

import io.octohost.app.AppName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** logs: what the app's containers print. */
@Command(name = "logs", description = "Show the output of an app's containers.",
        footer = {"Example:", "  octo logs hello --tail 20 -f"})
final class LogsCommand extends OctoCommand {
    @Parameters(paramLabel = "APP")
    String app;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "100", description = "Lines of each container to show first (default ${DEFAULT-VALUE}; -1: all).")
    int tail;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until interrupted.")
    boolean follow;

    LogsCommand(Invocation invocation) {
        super(invocation);
    }

    @Override
    void run(Invocation inv) {
        // the runner returns when the output ends or this thread is interrupted (ssh closed, octo interrupted)
        AppName name = inv.services().app(app);
        inv.services().runner().logs(name, tail, follow, inv::raw);
    }
}
