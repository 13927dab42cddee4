package io.octohost.command;

import io.octohost.app.AppName;
import io.octohost.app.Redacted;
import io.octohost.app.UserError;
import io.octohost.auth.Action;
import io.octohost.auth.Permissions;
import io.octohost.auth.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The one octo command tree. The API socket and SSH both run commands through here, so each
 * command exists once. Exit codes: 0 ok, 1 a user error, 2 usage.
 */
public final class Commands {
    public static final int OK = 0;
    public static final int USER_ERROR = 1;
    public static final int USAGE = 2;
    private static final Logger log = LoggerFactory.getLogger(Commands.class);
    private final Services services;

    public Commands(Services services) {
        this.services = services;
    }

    // scope INHERIT: every subcommand gets -h/--help too ("octo config:set --help"), not only the root
    @Command(name = "octo", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "octohost 0.1.0",
            description = "Manage the apps of an octohost.",
            subcommands = {
                CommandLine.HelpCommand.class,
                AppCommands.ListApps.class, AppCommands.Info.class, AppCommands.Restart.class, AppCommands.Destroy.class,
                ConfigCommands.Show.class, ConfigCommands.Get.class, ConfigCommands.Set_.class, ConfigCommands.Unset.class,
                ConfigCommands.Export.class,
                DomainCommands.Show.class, DomainCommands.SetDomains.class, DomainCommands.Add.class, DomainCommands.Remove.class,
                AppCommands.Scale.class, LogsCommand.class,
                ReleaseCommands.ListReleases.class, ReleaseCommands.Rollback.class, ReleaseCommands.Source.class,
                KeyCommands.Add.class, KeyCommands.ListKeys.class, KeyCommands.Remove.class,
                TokenCommands.Create.class, TokenCommands.ListTokens.class, TokenCommands.Revoke.class,
                UserCommands.Add.class, UserCommands.ListUsers.class, UserCommands.Remove.class, UserCommands.Passwd.class,
                BuildCommands.ListBuilds.class, BuildCommands.Info.class, BuildCommands.Logs.class, BuildCommands.Cancel.class,
                BuildCommands.Artifacts.class,
                StateCommands.Export.class, StateCommands.Import.class,
                ProjectCommands.Add.class, ProjectCommands.ListProjects.class, ProjectCommands.Info.class, ProjectCommands.Remove.class,
                Completion.Script.class,
            })
    static final class Root implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
        }
    }

    public int run(List<String> args, Principal caller, InputStream in, OutputStream out, OutputStream err) {
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter stderr = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            try {
                Permissions.require(caller, Action.ADMIN);
            } catch (Permissions.Forbidden e) {
                stderr.println("error: " + e.getMessage());
                return USER_ERROR;
            }
            CommandLine cli = tree(new Invocation(caller, in, stdout, stderr, out, services));
            cli.setOut(stdout);
            cli.setErr(stderr);
            cli.setParameterExceptionHandler((e, a) -> {
                String message = e.getMessage().lines().findFirst().orElse("");
                if (e instanceof CommandLine.UnmatchedArgumentException u && e.getCommandLine().getCommandName().equals("octo")
                        && !u.getUnmatched().isEmpty()) {
                    message = "unknown command '" + u.getUnmatched().get(0) + "'";
                }
                stderr.println("error: " + message);
                String name = e.getCommandLine().getCommandName();
                stderr.println("see 'octo " + (name.equals("octo") ? "" : name + " ") + "--help'");
                return USAGE;
            });
            cli.setExecutionExceptionHandler((e, c, p) -> {
                if (e instanceof UserError) {
                    stderr.println("error: " + e.getMessage());
                } else {
                    String ref = UUID.randomUUID().toString().substring(0, 8);
                    // the name and the app only: the other arguments may be config values or tokens
                    log.error("command {} of {} failed [{}]", c.getCommandName(), appOf(p), ref, Redacted.of(e));
                    stderr.println("error: internal error, see octod's log [" + ref + "]");
                }
                return USER_ERROR;
            });
            return cli.execute(args.toArray(String[]::new));
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    /** The app a command names (its first argument, {@code APP} or {@code APP/KEY}), when it is an app name. */
    private static String appOf(CommandLine.ParseResult parsed) {
        List<String> positional = parsed.matchedPositionals().stream()
                .flatMap(p -> p.stringValues().stream()).toList();
        String first = positional.isEmpty() ? "" : positional.get(0).split("/", 2)[0];
        try {
            return AppName.of(first).value();
        } catch (UserError e) {
            return "-";
        }
    }

    /** The command tree, its commands made for this invocation (none: to read the tree only, as completion does). */
    static CommandLine tree(Invocation invocation) {
        CommandLine cli = new CommandLine(Root.class, factory(invocation));
        cli.setExpandAtFiles(false);
        // values like -1 and @x reach the commands, which say what is wrong with them
        cli.setUnmatchedOptionsArePositionalParams(true);
        // picocli's own help command: the example every command's help ends with
        cli.getSubcommands().get("help").getCommandSpec().usageMessage().footer("Example:", "  octo help config:set");
        return cli;
    }

    private static CommandLine.IFactory factory(Invocation invocation) {
        CommandLine.IFactory fallback = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (OctoCommand.class.isAssignableFrom(type)) {
                    Constructor<K> constructor = type.getDeclaredConstructor(Invocation.class);
                    constructor.setAccessible(true);
                    return constructor.newInstance(invocation);
                }
                return fallback.create(type);
            }
        };
    }
}
