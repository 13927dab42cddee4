package io.octohost.e2e;

/** What {@code git push} did: its exit code and everything it printed (stdout and stderr, merged). */
public record PushResult(String command, int exitCode, String output) {
    /** The outcome of a push followed as it ran ({@link AppRepo#startPush}). */
    public static PushResult of(Proc.Result r) {
        return new PushResult(String.join(" ", r.command()), r.exitCode(), r.output() + (r.timedOut() ? "\n[timed out]" : ""));
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** The reason octod gave: the first line that says "error" but git's own "failed to push some refs", stripped. */
    public String reason() {
        return output.lines().filter(l -> l.contains("error") && !l.contains("failed to push some refs")).map(String::strip)
                .findFirst().orElse("");
    }

    /** For assertion messages. */
    public String describe() {
        return "$ " + command + "\n[exit " + exitCode + "]\n" + output;
    }

    @Override
    public String toString() {
        return describe();
    }
}
