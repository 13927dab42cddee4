package io.octohost.deploy;

/**
 * The last moment a build can be stopped: a stop asked for before now ends it (undone, nothing
 * deployed); from here on, the switch to the new release goes through and a stop is refused.
 */
final class SealBuild implements Step {
    @Override
    public void run(Deploy deploy) {
        deploy.control().seal();
    }
}
