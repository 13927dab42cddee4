package io.octohost.command;

import io.octohost.app.Progress;

import java.io.PrintWriter;

/** Deploy progress of a command (a restart, a scale), in the same form a push shows it. */
final class OutputProgress implements Progress {
    private final PrintWriter out;

    OutputProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void stage(String text) {
        out.println("-----> " + text);
        out.flush();
    }

    @Override
    public synchronized void line(String text) {
        out.println("       " + text);
        out.flush();
    }
}
