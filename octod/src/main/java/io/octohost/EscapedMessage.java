package io.octohost;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.octohost.app.Printable;

/**
 * The {@code %msg} of octod's log with control characters escaped: a name or value with a newline
 * in it cannot forge a log line ({@link LogSetup}'s pattern uses it as {@code %escapedMsg}).
 */
public final class EscapedMessage extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Printable.of(super.convert(event), Integer.MAX_VALUE);
    }
}
