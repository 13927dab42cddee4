package io.octohost.http;

/** An answer other than success, with its HTTP status and the one line the client gets as {@code {"error": ...}}. */
final class ApiError extends RuntimeException {
    private final int status;

    ApiError(int status, String message) {
        super(message.replace('\n', ' ').strip());
        this.status = status;
    }

    int status() {
        return status;
    }
}
