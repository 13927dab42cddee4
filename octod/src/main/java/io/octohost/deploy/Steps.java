package io.octohost.deploy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs steps in order. When one fails, it and every step before it are undone, in reverse order, and
 * the failure goes on to the caller; either way each step that ran is ended, in reverse order.
 */
final class Steps {
    private static final Logger log = LoggerFactory.getLogger(Steps.class);

    private Steps() {
    }

    static void run(Deploy deploy, List<Step> steps) {
        Deque<Step> todo = new ArrayDeque<>(steps);
        Deque<Step> ran = new ArrayDeque<>();
        try {
            while (!todo.isEmpty()) {
                Step step = todo.poll();
                if (step instanceof Step.Choice choice) {
                    List<Step> chosen = choice.choose(deploy);
                    for (int i = chosen.size() - 1; i >= 0; i--) {
                        todo.push(chosen.get(i));
                    }
                    continue;
                }
                ran.push(step);
                long start = System.nanoTime();
                step.run(deploy);
                deploy.timed(step.timing(), System.nanoTime() - start);
            }
        } catch (RuntimeException | Error e) {
            ran.forEach(step -> undo(step, deploy, e));
            throw e;
        } finally {
            ran.forEach(step -> step.end(deploy));
        }
    }

    private static void undo(Step step, Deploy deploy, Throwable cause) {
        try {
            step.undo(deploy);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            log.warn("could not undo {} of a failed deploy of {}: {}", step.getClass().getSimpleName(), deploy.app(), e.getMessage());
        }
    }
}
