package io.octohost.deploy;

/** Deletes the app's images older than its last --keep-releases releases. */
final class RetainImages implements Step {
    private final ImageRetention retention;

    RetainImages(ImageRetention retention) {
        this.retention = retention;
    }

    @Override
    public void run(Deploy deploy) {
        retention.retain(deploy.app());
    }
}
