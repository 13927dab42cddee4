package io.octohost.deploy;

/**
 * Hands the containers the new release replaced to the {@link Drainer}: they stop in the background.
 * (A Swarm stops the tasks it replaced itself: none are left to drain.)
 */
final class Drain implements Step {
    private final Drainer drainer;

    Drain(Drainer drainer) {
        this.drainer = drainer;
    }

    @Override
    public void run(Deploy deploy) {
        drainer.drain(deploy.app(), deploy.rollout().orElseThrow().replaced());
    }
}
