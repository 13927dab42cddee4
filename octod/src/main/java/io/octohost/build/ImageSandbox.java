package io.octohost.build;

import io.octohost.app.BuildControl;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Throwaway containers of a built image, before it is released: a command run in one (a build
 * file's stage), a path copied out of one (an artifact). Every container is removed when the call ends.
 */
public interface ImageSandbox {
    /**
     * Runs {@code sh -c command} in a fresh container of the image with this environment, each line of
     * its output to {@code lines} as it comes; returns its exit code.
     * @throws io.octohost.app.UserError when it runs longer than {@code timeout} (it is killed)
     * @throws io.octohost.app.Stopped when the build was stopped (it is killed)
     */
    int run(String imageId, String command, Map<String, String> env, Duration timeout, Consumer<String> lines, BuildControl control);

    /**
     * Writes what is at {@code path} in the image (a created, never started container): a regular
     * file's bytes as they are, anything else (a directory) as the tar archive Docker gives.
     * @throws io.octohost.app.UserError when the image has nothing at that path
     */
    void copy(String imageId, String path, OutputStream out) throws IOException;
}
