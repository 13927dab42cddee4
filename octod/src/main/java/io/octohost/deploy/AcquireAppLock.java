package io.octohost.deploy;

/** Holds the app's lock from the start of a deploy to its end, whatever happens in between. */
final class AcquireAppLock implements Step {
    private final AppLocks locks;

    AcquireAppLock(AppLocks locks) {
        this.locks = locks;
    }

    @Override
    public void run(Deploy deploy) {
        deploy.hold(locks.acquire(deploy.app(), deploy.progress()));
    }

    @Override
    public void end(Deploy deploy) {
        deploy.letGo();
    }
}
