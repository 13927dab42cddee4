package io.octohost.callbacks;

/** A receiver of a build's log lines, as the build writes them: an HTTP stream or a Kafka topic. */
interface LogSink {
    /** One line, without its newline. Called from one thread; may block a little, never fails. */
    void line(String line);

    /** The build's log has ended. */
    void close();

    String describe();
}
