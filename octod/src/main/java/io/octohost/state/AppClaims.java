package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.UserError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which repo and branch own each app name, and which branch of a repo is its main one.
 * Two pushes must never claim one app: {@code shop}+{@code web} and {@code shop-web}+main collide.
 */
public final class AppClaims {
    private static final String APPS = "octod/apps/";
    private static final String MAIN = "octod/repos/";
    private final StateStore store;

    public AppClaims(StateStore store) {
        this.store = store;
    }

    /** The repo and branch that deploy an app. */
    public record Owner(AppName repo, String branch) {
        String encode() {
            return repo + "\n" + branch;
        }

        static Owner decode(byte[] bytes) {
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\n", 2);
            return new Owner(AppName.of(parts[0]), parts[1]);
        }

        @Override
        public String toString() {
            return "repo " + repo + " branch " + branch;
        }
    }

    public Optional<Owner> owner(AppName app) {
        return store.get(APPS + app).map(Owner::decode);
    }

    public List<AppName> apps() {
        return store.list(APPS).keySet().stream().map(k -> AppName.of(k.substring(APPS.length()))).toList();
    }

    public List<AppName> appsOf(AppName repo) {
        return apps().stream().filter(a -> owner(a).map(o -> o.repo().equals(repo)).orElse(false)).toList();
    }

    /** The branch that deploys the repo's own app: whichever of master and main it pushed first. */
    public Optional<String> mainBranch(AppName repo) {
        return store.get(MAIN + repo + "/main").map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** Which app a push of {@code branch} to {@code repo} deploys. */
    public AppName appFor(AppName repo, String branch) {
        boolean mainCandidate = branch.equals("master") || branch.equals("main");
        String main = mainBranch(repo).orElse(null);
        if (mainCandidate && (main == null || main.equals(branch))) {
            return repo;
        }
        return AppName.forBranch(repo, branch);
    }

    /**
     * Claims the app for this repo and branch (and records the repo's main branch, when this is it).
     * Fails, naming the owner, when another repo or branch has it. Returns how to undo a new claim,
     * for a first deploy that fails.
     */
    public synchronized Runnable claim(AppName app, Owner claimant) {
        Optional<Owner> current = owner(app);
        if (current.isPresent()) {
            if (!current.get().equals(claimant)) {
                throw new UserError("app name '" + app + "' already belongs to " + current.get());
            }
            return () -> { };
        }
        List<StateStore.Change> changes = new ArrayList<>();
        List<StateStore.Change> undo = new ArrayList<>();
        changes.add(new StateStore.Change.Put(APPS + app, claimant.encode().getBytes(StandardCharsets.UTF_8)));
        undo.add(new StateStore.Change.Delete(APPS + app));
        if (app.equals(claimant.repo()) && mainBranch(claimant.repo()).isEmpty()) {
            String key = MAIN + claimant.repo() + "/main";
            changes.add(new StateStore.Change.Put(key, claimant.branch().getBytes(StandardCharsets.UTF_8)));
            undo.add(new StateStore.Change.Delete(key));
        }
        store.apply(changes);
        return () -> store.apply(undo);
    }

    /** Forgets the app's owner (and the repo's main branch, when the repo's own app goes). */
    public StateStore.Change[] release(AppName app) {
        return new StateStore.Change[] {new StateStore.Change.Delete(APPS + app), new StateStore.Change.Delete(MAIN + app + "/main")};
    }
}
