package io.octohost.command;

import io.octohost.auth.Principal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** One run of a command: who asked, its streams, and the services it works on. */
public final class Invocation {
    private final Principal caller;
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputStream rawOut;
    private final Services services;

    Invocation(Principal caller, InputStream in, PrintWriter out, PrintWriter err, OutputStream rawOut, Services services) {
        this.caller = caller;
        this.in = in;
        this.out = out;
        this.err = err;
        this.rawOut = rawOut;
        this.services = services;
    }

    /** Writes bytes as they are (container output); fails when the reader has gone away. */
    public void raw(byte[] bytes) {
        try {
            out.flush();
            rawOut.write(bytes);
            rawOut.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Principal caller() {
        return caller;
    }

    public PrintWriter out() {
        return out;
    }

    /** Where a command says what is not an answer: that a listing is empty. */
    public PrintWriter err() {
        return err;
    }

    /** Now, and the time zone times are shown in. */
    public Clock clock() {
        return services.clock();
    }

    public Services services() {
        return services;
    }

    /** All of standard input, for commands that take it (keys:add). */
    public String readStdin() {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
