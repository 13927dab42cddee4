package io.octohost.builds;

import io.octohost.app.AppName;
import io.octohost.app.BuildId;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * What the edges (the HTTP API, octo's commands, later the webhooks) ask of builds; {@link Builds}
 * runs them through the deploy pipeline. Errors are typed so that each edge can answer in its own
 * way: {@code NotFound} (no such app or build), {@code Conflict} (the build id is taken),
 * {@code WrongState} (not running).
 */
public interface BuildService {
    /** Accepts the build, {@code pending}, and returns at once; the build goes on in the background. */
    Build submit(BuildRequest request);

    /**
     * Stops a pending, queued or building build and returns once it has ended {@code cancelled} (or
     * a few seconds passed): nothing is deployed. {@code by} names who asked, for the record.
     */
    Build cancel(AppName app, BuildId id, String by);

    Optional<Build> find(AppName app, BuildId id);

    /** The app's builds, newest first. */
    List<Build> list(AppName app);

    /** Deletes every build record and log of an app that is gone (destroyed, or its branch deleted). */
    void forget(AppName app);

    /** The artifacts the build kept, by name. */
    List<BuildArtifacts.Artifact> artifacts(AppName app, BuildId id);

    /** One artifact of the build, its name and size. @throws io.octohost.app.NotFound when it kept none of that name */
    BuildArtifacts.Artifact artifact(AppName app, BuildId id, String name);

    /** Writes one artifact of the build, byte for byte. @throws io.octohost.app.NotFound when it kept none of that name */
    void writeArtifact(AppName app, BuildId id, String name, OutputStream out) throws IOException;

    /** Writes the build's log as it is; with {@code follow}, goes on writing what comes until the build ends. */
    void writeLog(AppName app, BuildId id, boolean follow, OutputStream out) throws IOException;

    /** Hands {@code watcher} every build record of every app as it is created or changes, until the watch is closed. */
    BuildEvents.Watch watch(java.util.function.Consumer<Build> watcher);
}
