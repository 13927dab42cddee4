package io.octohost.command;

import io.octohost.app.UserError;
import io.octohost.state.Role;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Shell completion for octo, read off the command tree, so a new command, option or argument
 * completes without a line written here. The octo client knows no command, so the scripts carry
 * the tree, and complete app names by asking octod ({@code octo apps:list --quiet}). Written by
 * {@code octo completion SHELL} and, for the package, by {@link #main} at build time.
 *
 * <p>picocli's own AutoComplete was not used: its candidates are fixed when the script is made
 * (no app names), and it knows nothing of the ':' in octo's command names, where bash splits words.
 */
public final class Completion {
    /** The label of an argument that is an app: its values are the apps octod knows. */
    static final String APP = "APP";
    /** The label of help's argument: its values are the commands. */
    static final String COMMAND = "COMMAND";

    /** Whether values of this label are asked for when completing (apps) or known to the script (commands). */
    static boolean dynamic(String label) {
        return APP.equals(label) || COMMAND.equals(label);
    }

    /** A command as completion sees it. */
    record Command(List<String> names, String summary, List<Option> options, List<Argument> arguments) {
    }

    /** An option; {@code label} is null for a flag; {@code values} are its fixed values, if any. */
    record Option(List<String> names, String summary, String label, List<String> values, boolean repeats) {
        boolean takesValue() {
            return label != null;
        }
    }

    /** A positional argument; the last may repeat. */
    record Argument(String label, List<String> values, boolean repeats) {
    }

    private Completion() {
    }

    @CommandLine.Command(name = "completion", description = "Print the shell completion script for bash or zsh.",
            footer = {"The package installs both. Example, for this shell only:", "  source <(octo completion bash)"})
    static final class Script extends OctoCommand {
        @CommandLine.Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash or zsh.")
        String shell;

        @CommandLine.Spec
        CommandSpec spec;

        Script(Invocation invocation) {
            super(invocation);
        }

        @Override
        void run(Invocation inv) {
            inv.out().print(script(shell, spec.root().commandLine()));
        }
    }

    /** The roles of keys and tokens. */
    static final class Roles implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Role.values()).map(Role::label).iterator();
        }
    }

    /** The shells a script is made for. */
    static final class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("bash", "zsh").iterator();
        }
    }

    /** Prints the script for the shell named: {@code java -cp octod.jar io.octohost.command.Completion bash|zsh}. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Completion bash|zsh");
            System.exit(2);
        }
        System.out.print(script(args[0], Commands.tree(null)));
    }

    /** The completion script for bash or zsh. */
    static String script(String shell, CommandLine root) {
        List<Command> commands = commands(root);
        return switch (shell) {
            case "bash" -> BashCompletion.script(commands);
            case "zsh" -> ZshCompletion.script(commands);
            default -> throw new UserError("no completion for '" + shell + "': give bash or zsh");
        };
    }

    static List<Command> commands(CommandLine root) {
        Map<CommandLine, Boolean> distinct = new LinkedHashMap<>();
        root.getSubcommands().values().forEach(c -> distinct.put(c, true));
        List<Command> commands = new ArrayList<>();
        for (CommandLine c : distinct.keySet()) {
            CommandSpec spec = c.getCommandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            List<String> names = new ArrayList<>(List.of(spec.name()));
            names.addAll(List.of(spec.aliases()));
            List<Option> options = spec.options().stream().filter(o -> !o.hidden()).map(Completion::option).toList();
            List<Argument> arguments = spec.positionalParameters().stream().filter(p -> !p.hidden())
                    .map(Completion::argument).toList();
            commands.add(new Command(names, summary(spec.usageMessage().description()), options, arguments));
        }
        return commands;
    }

    private static Option option(OptionSpec o) {
        boolean flag = o.arity().max() == 0;
        return new Option(List.of(o.names()), summary(o.description()), flag ? null : o.paramLabel(), values(o),
                o.isMultiValue());
    }

    private static Argument argument(PositionalParamSpec p) {
        return new Argument(p.paramLabel().replaceAll("^[<\\[]|[>\\]]$", ""), values(p), p.isMultiValue());
    }

    private static List<String> values(ArgSpec arg) {
        return Optional.ofNullable(arg.completionCandidates())
                .map(c -> StreamSupport.stream(c.spliterator(), false).toList()).orElse(List.of());
    }

    /** The first sentence of a description, without picocli's variables. */
    private static String summary(String[] description) {
        String text = String.join(" ", description).replaceAll("\\s*Default: \\$\\{[^}]*}\\.?", "").strip();
        int end = text.indexOf(". ");
        text = end > 0 ? text.substring(0, end + 1) : text;
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
