package io.octohost.app;

/**
 * An exception as octod logs a bug it met while serving a user: its type and stack, without the
 * messages, which may carry what the user typed (config values, tokens). The reference shown to the
 * user finds it in the log.
 */
public final class Redacted extends RuntimeException {
    private Redacted(Throwable original) {
        super(original.getClass().getName(), original.getCause() == null || original.getCause() == original
                ? null : new Redacted(original.getCause()), false, true);
        setStackTrace(original.getStackTrace());
    }

    public static Redacted of(Throwable original) {
        return new Redacted(original);
    }

    @Override
    public String toString() {
        return "(message withheld) " + getMessage();
    }
}
