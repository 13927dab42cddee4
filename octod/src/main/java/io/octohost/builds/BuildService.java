package io.octohost.builds;

import io.octohost.app.AppName;
import io.octohost.app.BuildId;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * What the HTTP API (and later the webhooks) ask of builds: the edges call this, the deploy pipeline
 * implements it. Errors are typed so that each edge can answer in its own way: {@code NotFound} (no
 * such app or build), {@code Conflict} (the build id is taken), {@code WrongState} (not running).
 */
public interface BuildService {
    /** Accepts the build, {@code pending}, and returns at once; the build goes on in the background. */
    Build submit(BuildRequest request);

    /** Stops a pending, queued or building build: it ends {@code cancelled}, nothing is deployed. */
    Build cancel(AppName app, BuildId id);

    Optional<Build> find(AppName app, BuildId id);

    /** The app's builds, newest first. */
    List<Build> list(AppName app);

    /** Writes the build's log as it is; with {@code follow}, goes on writing what comes until the build ends. */
    void writeLog(AppName app, BuildId id, boolean follow, OutputStream out) throws IOException;
}
