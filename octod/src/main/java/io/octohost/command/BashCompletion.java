package io.octohost.command;

import java.util.List;

/**
 * The bash completion script: a {@code case} per command (its options, which take a value, its
 * arguments' labels) and one function that reads the words typed so far against them.
 */
final class BashCompletion {
    private BashCompletion() {
    }

    static String script(List<Completion.Command> commands) {
        StringBuilder specs = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (Completion.Command c : commands) {
            List<String> options = c.options().stream().flatMap(o -> o.names().stream()).toList();
            List<String> valued = c.options().stream().filter(Completion.Option::takesValue).flatMap(o -> o.names().stream()).toList();
            List<String> labels = c.arguments().stream().map(a -> a.label() + (a.repeats() ? "..." : "")).toList();
            specs.append("    ").append(String.join("|", c.names())).append(") options='").append(String.join(" ", options))
                    .append("' valued='").append(String.join(" ", valued)).append("' labels='").append(String.join(" ", labels))
                    .append("' ;;\n");
            for (Completion.Option o : c.options()) {
                if (o.takesValue() && (!o.values().isEmpty() || Completion.dynamic(o.label()))) {
                    values.append(arm(c.names(), o.names(), o.values().isEmpty() ? "__octo_label_values " + o.label() : fixed(o.values())));
                }
            }
            for (Completion.Argument a : c.arguments()) {
                if (!a.values().isEmpty()) {
                    values.append(arm(c.names(), List.of(a.label()), fixed(a.values())));
                }
            }
        }
        return TEMPLATE.replace("@COMMANDS@", String.join(" ", commands.stream().flatMap(c -> c.names().stream()).toList()))
                .replace("@SPECS@", specs.toString().stripTrailing())
                .replace("@VALUES@", values.toString().stripTrailing());
    }

    /** A case arm for each command name and key (an option, or an argument's label). */
    private static String arm(List<String> commands, List<String> keys, String action) {
        List<String> patterns = commands.stream().flatMap(c -> keys.stream().map(k -> "'" + c + " " + k + "'")).toList();
        return "    " + String.join("|", patterns) + ") " + action + " ;;\n";
    }

    private static String fixed(List<String> values) {
        return "printf '%s' '" + String.join(" ", values) + "'";
    }

    private static final String TEMPLATE = """
            # bash completion for octo (octohost), made from octod's command tree: octo completion bash
            # Install: /usr/share/bash-completion/completions/octo, or: source <(octo completion bash)

            # what command $1 takes: its options, the options that take a value, its arguments' labels
            __octo_spec() {
              case $1 in
            @SPECS@
                *) return 1 ;;
              esac
            }

            # the values of option $2 (one that takes a value) or of the argument labelled $2, of command $1
            __octo_values() {
              case "$1 $2" in
            @VALUES@
                *) __octo_label_values "$2" ;;
              esac
            }

            # the values of anything labelled $1: apps (asked of octod), commands, or nothing
            __octo_label_values() {
              case $1 in
                APP) octo "${socket[@]}" apps:list --quiet 2>/dev/null ;;
                COMMAND) printf '%s' '@COMMANDS@' ;;
              esac
            }

            _octo() {
              local words=() i w
              # bash splits "config:set" at ':' and "--role=x" at '=' (COMP_WORDBREAKS): join them again
              for ((i = 0; i <= COMP_CWORD; i++)); do
                w=${COMP_WORDS[i]}
                if ((${#words[@]} > 1)) && [[ $w == [:=] || ${words[${#words[@]}-1]} == *[:=] ]]; then
                  words[${#words[@]}-1]+=$w
                else
                  words+=("$w")
                fi
              done
              local cur=${words[${#words[@]}-1]} n=${#words[@]} at=1 candidates= socket=()
              # octo's own option comes first: --api-socket PATH (app names are asked of that octod)
              if [[ ${words[1]} == --api-socket ]]; then
                at=3 socket=(--api-socket "${words[2]}")
              elif [[ ${words[1]} == --api-socket=* ]]; then
                at=2 socket=("${words[1]}")
              fi
              if ((n == 3)) && [[ ${words[1]} == --api-socket ]]; then
                COMPREPLY=($(compgen -f -- "$cur"))
                return
              elif ((n - 1 <= at)); then
                if [[ $cur == -* ]]; then candidates='--api-socket --help --version -h -V'; else candidates='@COMMANDS@'; fi
              else
                local command=${words[at]} options valued labels prev=${words[n-2]}
                __octo_spec "$command" || return
                if [[ $cur == -*=* ]]; then
                  local option=${cur%%=*} value
                  for value in $(__octo_values "$command" "$option"); do candidates+=" $option=$value"; done
                elif [[ " $valued " == *" $prev "* ]]; then
                  candidates=$(__octo_values "$command" "$prev")
                elif [[ $cur == -* ]]; then
                  candidates=$options
                else
                  # which argument: count the arguments before this word, skipping options and their values
                  local position=0 skip=
                  for ((i = at + 1; i < n - 1; i++)); do
                    w=${words[i]}
                    if [[ -n $skip ]]; then skip=; continue; fi
                    if [[ $w == -* ]]; then
                      [[ $w != *=* && " $valued " == *" $w "* ]] && skip=1
                      continue
                    fi
                    ((position++))
                  done
                  local label list=($labels)
                  if ((position < ${#list[@]})); then
                    label=${list[position]}
                  elif ((${#list[@]} > 0)) && [[ ${list[${#list[@]}-1]} == *... ]]; then
                    label=${list[${#list[@]}-1]}
                  fi
                  [[ -n $label ]] && candidates=$(__octo_values "$command" "${label%...}")
                fi
              fi
              COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
              # bash replaces only the part after the last ':' or '=' it split at
              local breaks=${COMP_WORDBREAKS//[^:=]/}
              if [[ -n $breaks && $cur == *["$breaks"]* ]]; then
                local prefix=${cur%"${cur##*["$breaks"]}"}
                COMPREPLY=("${COMPREPLY[@]#"$prefix"}")
              fi
            }

            complete -F _octo octo
            """;
}
