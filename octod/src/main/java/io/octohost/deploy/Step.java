package io.octohost.deploy;

import java.util.List;

/**
 * One named step of a deploy, with one job. {@link Pipeline} lists them in order; {@link Steps}
 * runs them. A step reads what earlier steps left in the {@link Deploy} and adds what it made.
 */
interface Step {
    void run(Deploy deploy);

    /**
     * Takes back what {@link #run} did, after it or a later step failed (so it must cope with a run
     * that stopped half-way). Steps are undone in reverse order.
     */
    default void undo(Deploy deploy) {
    }

    /** Called when the deploy ends, failed or not, for each step that ran, in reverse order: e.g. unlocks. */
    default void end(Deploy deploy) {
    }

    /** The word for this step in the timing summary a deploy prints; null: not shown. */
    default String timing() {
        return null;
    }

    /** A step that decides, once the steps before it ran, which steps come next. */
    interface Choice extends Step {
        List<Step> choose(Deploy deploy);

        @Override
        default void run(Deploy deploy) {
            throw new IllegalStateException("a choice is not run: Steps puts the chosen steps in its place");
        }
    }

    /** The steps {@code then} when the condition holds once the steps before ran, else {@code otherwise}. */
    static Step either(java.util.function.Predicate<Deploy> condition, List<Step> then, List<Step> otherwise) {
        return (Choice) deploy -> condition.test(deploy) ? then : otherwise;
    }
}
