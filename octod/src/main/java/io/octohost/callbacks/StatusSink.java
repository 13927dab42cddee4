package io.octohost.callbacks;

/** A receiver of a build's status changes: an HTTP URL or a Kafka topic. */
interface StatusSink {
    /** Delivers one body, or throws saying why the receiver did not take it (the caller retries). */
    void deliver(String buildKey, StatusBody body) throws Exception;

    /** The receiver as it may be logged: no credentials. */
    String describe();
}
