package io.octohost.command;

import java.util.ArrayList;
import java.util.List;

/** The zsh completion function: the commands with their summaries, and {@code _arguments} specs per command. */
final class ZshCompletion {
    private ZshCompletion() {
    }

    static String script(List<Completion.Command> commands) {
        StringBuilder described = new StringBuilder();
        StringBuilder cases = new StringBuilder();
        for (Completion.Command c : commands) {
            for (String name : c.names()) {
                described.append("    ").append(quote(name.replace(":", "\\:") + ":" + c.summary())).append('\n');
            }
            List<String> specs = new ArrayList<>();
            for (Completion.Option o : c.options()) {
                String exclusive = o.names().size() > 1 ? "(" + String.join(" ", o.names()) + ")" : "";
                for (String name : o.names()) {
                    String spec = (o.repeats() ? "*" : exclusive) + name + "[" + escape(o.summary()) + "]";
                    if (o.takesValue()) {
                        spec += ":" + escape(o.label()) + ":" + action(o.label(), o.values());
                    }
                    specs.add(quote(spec));
                }
            }
            int position = 1;
            for (Completion.Argument a : c.arguments()) {
                String where = a.repeats() ? "*" : Integer.toString(position++);
                specs.add(quote(where + ":" + escape(a.label()) + ":" + action(a.label(), a.values())));
            }
            cases.append("        (").append(String.join("|", c.names())).append(")\n          _arguments -s \\\n            ")
                    .append(String.join(" \\\n            ", specs)).append(" ;;\n");
        }
        return TEMPLATE.replace("@DESCRIBED@", described.toString().stripTrailing())
                .replace("@CASES@", cases.toString().stripTrailing());
    }

    /** What completes a value: the apps, the commands, fixed values, or nothing to offer. */
    private static String action(String label, List<String> values) {
        if (!values.isEmpty()) {
            return "(" + String.join(" ", values) + ")";
        }
        return switch (label) {
            case Completion.APP -> "_octo_apps";
            case Completion.COMMAND -> "_octo_commands";
            default -> " ";
        };
    }

    /** Inside an _arguments spec, brackets and colons are syntax. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static final String TEMPLATE = """
            #compdef octo
            # zsh completion for octo (octohost), made from octod's command tree: octo completion zsh
            # Install: a directory of $fpath as _octo (the package: /usr/share/zsh/vendor-completions/_octo)

            _octo_commands() {
              local -a commands
              commands=(
            @DESCRIBED@
              )
              _describe -t commands 'octo command' commands
            }

            _octo_apps() {
              local -a apps
              apps=(${(f)"$(_call_program apps octo apps:list --quiet 2>/dev/null)"})
              _describe -t apps 'app' apps
            }

            _octo() {
              local curcontext=$curcontext state line
              typeset -A opt_args
              _arguments -C \\
                '--api-socket[the API socket of octod]:socket:_files' \\
                '(- *)'{-h,--help}'[Show help]' \\
                '(- *)'{-V,--version}'[Print the version]' \\
                '1: :_octo_commands' \\
                '*:: :->arguments' && return
              case $state in
                (arguments)
                  curcontext=${curcontext%:*:*}:octo-$words[1]:
                  case $words[1] in
            @CASES@
                  esac ;;
              esac
            }

            # loaded by compinit from $fpath, or sourced (then it registers itself)
            if [[ $funcstack[1] == _octo ]]; then
              _octo "$@"
            else
              compdef _octo octo
            fi
            """;
}
