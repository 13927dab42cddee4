package io.octohost.e2e.api;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Secrets;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the build scenarios share beside their octod: a real HTTP server for callbacks and source
 * tarballs, octod's API with an admin token ({@code ops}).
 * Made when first asked for, once the {@link Octohost} runs (JUnit does not order the two extensions);
 * the receiver is closed after all tests:
 *
 * <pre>
 * &#64;RegisterExtension static final Octohost octohost = Octohost.withDefaults();
 * &#64;RegisterExtension static final ApiScenario scenario = new ApiScenario(octohost);
 * </pre>
 */
final class ApiScenario implements AfterAllCallback {
    private final Octohost octohost;
    private CallbackReceiver receiver;
    private BuildApi api;
    private String admin;

    ApiScenario(Octohost octohost) {
        this.octohost = octohost;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (receiver != null) {
            receiver.close();
        }
    }

    private synchronized void start() {
        if (receiver == null) {
            api = new BuildApi(octohost);
            admin = api.token("tokens:create", "ops");
            receiver = CallbackReceiver.start();
        }
    }

    CallbackReceiver receiver() {
        start();
        return receiver;
    }

    BuildApi api() {
        start();
        return api;
    }

    /** The admin token {@code ops}. */
    String admin() {
        start();
        return admin;
    }

    /** Serves the work tree's HEAD as {@code NAME.tar.gz} (basic auth: user u, a planted password) and returns its URL, with the user info. */
    String tarball(String name, AppRepo repo) {
        return receiver().serve(name + ".tar.gz", repo.tarball(name), "u", Secrets.planted("tarball"));
    }

    /** Serves a tarball of a static site of {@code page}, in a work tree of its own (pushed nowhere), as {@link #tarball}. */
    String site(String name, String page) {
        AppRepo source = octohost.app("source-" + name);
        source.staticSite(page).commit("site");
        return tarball(name, source);
    }

    /** {@code POST /v1/apps/APP/builds} of a source URL with the admin token: the id octod chose. */
    String build(String app, String sourceUrl) {
        return BuildApi.idOf(api().call("POST", "/v1/apps/" + app + "/builds", admin(), "{\"source\": {\"url\": " + BuildApi.quote(sourceUrl) + "}}"));
    }
}
