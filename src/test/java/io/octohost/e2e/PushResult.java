package io.octohost.e2e;

/** What {@code git push} did: its exit code and everything it printed (stdout and stderr, merged). */
public record PushResult(String command, int exitCode, String output) {
    public boolean ok() {
        return exitCode == 0;
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
