package io.octohost.app;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Linux capabilities an app's containers run with: Docker's default set minus those web apps
 * rarely need ({@link #DROPPED_BY_DEFAULT}), minus what the app's CAP_DROP names (or ALL), plus what
 * its CAP_ADD gives back. An app can only add back capabilities of Docker's default set.
 */
public record Capabilities(Set<String> drop, Set<String> add) {
    /** Docker's default capabilities (what a container has unless told otherwise). */
    public static final Set<String> DOCKER_DEFAULT = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
            "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    /** Raw sockets, device files, chroot, audit records and file capabilities: not a web app's business. */
    public static final Set<String> DROPPED_BY_DEFAULT = Set.of("NET_RAW", "MKNOD", "SYS_CHROOT", "AUDIT_WRITE", "SETFCAP");
    public static final Capabilities DEFAULT = new Capabilities(Set.of(), Set.of());
    private static final String ALL = "ALL";

    public Capabilities {
        drop = Set.copyOf(drop);
        add = Set.copyOf(add);
    }

    /** CAP_DROP and CAP_ADD as config keeps them: names separated by spaces or commas, with or without CAP_. */
    public static Capabilities parse(String drop, String add) {
        return new Capabilities(names(ConfigKeys.CAP_DROP, drop, true), names(ConfigKeys.CAP_ADD, add, false));
    }

    private static Set<String> names(String key, String value, boolean allowAll) {
        Set<String> names = new TreeSet<>();
        for (String word : value == null ? new String[0] : value.strip().split("[\\s,]+")) {
            if (word.isEmpty()) {
                continue;
            }
            String name = word.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (!DOCKER_DEFAULT.contains(name) && !(allowAll && name.equals(ALL))) {
                throw new UserError("invalid " + key + " '" + Printable.of(word, 40) + "': name capabilities of Docker's default set ("
                        + String.join(" ", new TreeSet<>(DOCKER_DEFAULT)) + ")" + (allowAll ? " or ALL" : ""));
            }
            names.add(name);
        }
        return names;
    }

    /** What Docker's CapDrop gets. */
    public List<String> capDrop() {
        if (drop.contains(ALL)) {
            return List.of(ALL);
        }
        TreeSet<String> dropped = new TreeSet<>(DROPPED_BY_DEFAULT);
        dropped.addAll(drop);
        dropped.removeAll(add);
        return List.copyOf(dropped);
    }

    /** What Docker's CapAdd gets: after ALL is dropped, what comes back (else what is given back is simply not dropped). */
    public List<String> capAdd() {
        return drop.contains(ALL) ? List.copyOf(new TreeSet<>(add)) : List.of();
    }
}
