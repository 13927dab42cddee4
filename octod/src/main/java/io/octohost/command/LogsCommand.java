package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.run.AppContainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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
        AppName name = inv.services().app(app);
        List<AppContainer> containers = inv.services().runner().list(name).stream().filter(AppContainer::running).toList();
        List<Thread> readers = new ArrayList<>();
        for (AppContainer c : containers) {
            Thread reader = new Thread(() -> inv.services().runner().logs(c.id(), tail, follow, bytes -> write(inv, bytes)),
                    "logs-" + c.name());
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        try {
            for (Thread reader : readers) {
                reader.join();
            }
        } catch (InterruptedException e) {
            // the reader went away (ssh closed, octo interrupted): stop following
            readers.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
        }
    }

    private static void write(Invocation inv, byte[] bytes) {
        synchronized (inv) {
            inv.raw(bytes);
        }
    }
}
