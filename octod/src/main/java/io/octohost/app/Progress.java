package io.octohost.app;

/** Where a deploy tells the pusher what happens, as it happens. */
public interface Progress {
    /** A stage header, shown as {@code -----> text}. */
    void stage(String text);

    /** A line of output beneath the current stage, e.g. from docker build. */
    void line(String text);

    Progress SILENT = new Progress() {
        @Override
        public void stage(String text) {
        }

        @Override
        public void line(String text) {
        }
    };
}
