package io.octohost.command;

import io.octohost.app.AppName;

import java.util.List;
import java.util.Map;

/** What the read-only views of apps need: the apps, and how octo shows an app and its releases. */
public interface AppDirectory {
    List<AppName> apps();

    /** The named app, which must exist ({@code NotFound} otherwise). */
    AppName existing(AppName app);

    /** An app: its repo and branch, release, containers, domains and URL. */
    Map<String, Object> describe(AppName app);

    /** The app's releases, newest first, without config values (a release's config holds secrets). */
    List<Map<String, Object>> releases(AppName app);
}
