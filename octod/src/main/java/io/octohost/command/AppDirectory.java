package io.octohost.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.octohost.app.AppName;

import java.time.Instant;
import java.io.InputStream;
import java.util.List;

/** What the read-only views of apps need: the apps, and how octo shows an app and its releases. */
public interface AppDirectory {
    List<AppName> apps();

    /** The named app, which must exist ({@code NotFound} otherwise). */
    AppName existing(AppName app);

    /** An app: its repo and branch, release, containers, domains and URL. */
    App describe(AppName app);

    /** The app's releases, newest first, without config values (a release's config holds secrets). */
    List<ReleaseRow> releases(AppName app);

    /** The source release {@code number} of the app was built from, a {@code .tar.gz} to read and close ({@code NotFound} if none is kept). */
    InputStream source(AppName app, int number);

    /** What apps:info, apps:list and GET /v1/apps show of an app; release and commit are null before the first deploy. */
    record App(String name, String repo, String branch, String release, String commit, List<Container> containers,
               List<String> domains, String url) {
        public long running() {
            return containers.stream().filter(c -> c.state().equals(Container.RUNNING)).count();
        }
    }

    /**
     * One of an app's containers: the full id, the host port nginx sends to (none when it has no
     * backend), the Swarm node a task runs on (none for a container of this host), and the Procfile
     * process type it runs.
     */
    record Container(String name, String id, String state, @JsonInclude(JsonInclude.Include.NON_NULL) Integer port,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String node, String type) {
        public static final String RUNNING = "running";
        public static final String STOPPED = "stopped";
    }

    /** A release as listed: which runs ({@code current}), and whether its image is still there to roll back to. */
    record ReleaseRow(String release, boolean current, String commit, String image, boolean rollback, Instant time, String by,
                      String description) {
    }
}
