package io.octohost.command;

import java.util.concurrent.Callable;

/** A command of the tree: gets its invocation at creation and runs against it. */
abstract class OctoCommand implements Callable<Integer> {
    private final Invocation invocation;

    OctoCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    abstract void run(Invocation invocation);

    @Override
    public final Integer call() {
        run(invocation);
        invocation.out().flush();
        return 0;
    }
}
