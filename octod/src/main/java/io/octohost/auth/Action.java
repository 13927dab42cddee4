package io.octohost.auth;

import io.octohost.app.AppName;

import java.util.Locale;
import java.util.Optional;

/** What a principal asks to do, and to which app. The README's permission table lists them. */
public record Action(Verb verb, Optional<AppName> app) {
    public static final Action ADMIN = new Action(Verb.ADMIN, Optional.empty());
    /** Listing apps: allowed to every principal, each seeing the apps it covers. */
    public static final Action LIST_APPS = new Action(Verb.READ, Optional.empty());

    public enum Verb {
        /** git push: build and deploy a pushed commit. */
        PUSH,
        /** start or cancel a build over the API (a tarball, a git URL, an image). */
        BUILD,
        /** start a build from a repository on octod's own host ({@code git+file://}): it reads what octod may read. */
        BUILD_FROM_HOST,
        /** see an app, its releases (without config values), its builds and their logs. */
        READ,
        /** fetch or clone an app's repository over HTTP: it is the app's source, so admins only. */
        FETCH,
        /** delete an app, its containers, images, config and releases: admins only (git push APP :master too). */
        DESTROY,
        /** download the source a release was built from: admins only, like a clone (it is the app's code). */
        READ_SOURCE,
        /** everything else: octo commands (config values, destroy, keys, tokens), every app. */
        ADMIN
    }

    public static Action push(AppName app) {
        return new Action(Verb.PUSH, Optional.of(app));
    }

    public static Action build(AppName app) {
        return new Action(Verb.BUILD, Optional.of(app));
    }

    public static Action buildFromHost(AppName app) {
        return new Action(Verb.BUILD_FROM_HOST, Optional.of(app));
    }

    public static Action fetch(AppName app) {
        return new Action(Verb.FETCH, Optional.of(app));
    }

    public static Action destroy(AppName app) {
        return new Action(Verb.DESTROY, Optional.of(app));
    }

    public static Action read(AppName app) {
        return new Action(Verb.READ, Optional.of(app));
    }

    String describe() {
        String what = switch (verb) {
            case ADMIN -> "run admin commands";
            case BUILD_FROM_HOST -> "build from a repository on octod's host (git+file://)";
            case READ_SOURCE -> "read the source of";
            default -> verb.name().toLowerCase(Locale.ROOT);
        };
        return verb == Verb.BUILD_FROM_HOST ? what : app.map(a -> what + " app '" + a + "'").orElse(what);
    }
}
