package io.octohost.build;

import java.io.IOException;
import java.io.OutputStream;

/** The files a build sees, written as a tar stream (the Docker build context). */
@FunctionalInterface
public interface BuildContext {
    void writeTar(OutputStream out) throws IOException;
}
