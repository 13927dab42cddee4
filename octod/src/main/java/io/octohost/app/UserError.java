package io.octohost.app;

/**
 * An error the user can act on. Its message is exactly what the user sees, on one line;
 * anything else thrown is a bug.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message.replace('\n', ' ').strip());
    }

    public UserError(String message, Throwable cause) {
        super(message.replace('\n', ' ').strip(), cause);
    }
}
