package io.octohost.deploy;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Takes one of the --max-parallel-builds slots (waiting, stoppably, when all are taken); from here on
 * the build is {@code building}. The slot goes back once the image is there, or when the deploy ends.
 */
final class TakeBuildSlot implements Step {
    private final Semaphore slots;
    private final int slotCount;

    TakeBuildSlot(Semaphore slots, int slotCount) {
        this.slots = slots;
        this.slotCount = slotCount;
    }

    @Override
    public void run(Deploy deploy) {
        if (!slots.tryAcquire()) {
            deploy.progress().line("waiting for a build slot (--max-parallel-builds " + slotCount + ")");
            while (!tryAcquire()) {
                deploy.control().check();
            }
        }
        deploy.holdSlot(slots::release);
        deploy.control().building();
    }

    private boolean tryAcquire() {
        try {
            return slots.tryAcquire(AppLocks.STOP_POLL_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a build slot", e);
        }
    }

    @Override
    public void end(Deploy deploy) {
        deploy.releaseSlot();
    }
}
