package io.octohost.command;

import io.octohost.auth.Principal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One run of a command: who asked, its streams, and the services it works on. */
public final class Invocation {
    private final Principal caller;
    private final InputStream in;
    private final PrintWriter out;
    private final OutputStream rawOut;
    private final Services services;

    Invocation(Principal caller, InputStream in, PrintWriter out, OutputStream rawOut, Services services) {
        this.caller = caller;
        this.in = in;
        this.out = out;
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
