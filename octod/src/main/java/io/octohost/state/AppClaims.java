package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.BranchName;
import io.octohost.app.Printable;
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
    static final String APPS = "octod/apps/";
    static final String MAIN = "octod/repos/";
    private static final String MAIN_SUFFIX = "/main";
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
        return store.get(MAIN + repo + MAIN_SUFFIX).map(b -> new String(b, StandardCharsets.UTF_8));
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
            String key = MAIN + claimant.repo() + MAIN_SUFFIX;
            changes.add(new StateStore.Change.Put(key, claimant.branch().getBytes(StandardCharsets.UTF_8)));
            undo.add(new StateStore.Change.Delete(key));
        }
        store.apply(changes);
        return () -> store.apply(undo);
    }

    /**
     * Fails, saying why, unless this is a record a push would store: an owner {@code REPO\nBRANCH}
     * of which the app is the repo's own app or its branch app, and that moves no app (the record
     * now in {@code current}) to another repo or branch; or a repo's main branch, master or main.
     */
    static void checkRecord(String key, byte[] value, java.util.Map<String, byte[]> current) {
        String text = new String(value, StandardCharsets.UTF_8);
        if (key.startsWith(MAIN)) {
            String repo = key.substring(MAIN.length());
            if (!repo.endsWith(MAIN_SUFFIX)) {
                throw new UserError("a repo's record is " + MAIN + "REPO" + MAIN_SUFFIX);
            }
            AppName.of(repo.substring(0, repo.length() - MAIN_SUFFIX.length()));
            if (!text.equals("master") && !text.equals("main")) {
                throw new UserError("a repo's main branch is master or main, not '" + Printable.of(text, 80) + "'");
            }
            return;
        }
        AppName app = AppName.of(key.substring(APPS.length()));
        String[] parts = text.split("\n", -1);
        if (parts.length != 2) {
            throw new UserError("an app's owner record is a repo and a branch, on two lines");
        }
        Owner owner = new Owner(AppName.of(parts[0]), BranchName.check(parts[1]));
        boolean repoApp = app.equals(owner.repo()) && (owner.branch().equals("master") || owner.branch().equals("main"));
        if (!repoApp && !app.equals(AppName.forBranch(owner.repo(), owner.branch()))) {
            throw new UserError("app " + app + " cannot belong to " + owner + ": that branch deploys another app");
        }
        byte[] now = current.get(key);
        if (now != null && !java.util.Arrays.equals(now, value)) {
            throw new UserError("app " + app + " belongs to " + Owner.decode(now) + ": an import does not move it to "
                    + owner + " (destroy it first)");
        }
    }

    /** Forgets the app's owner (and the repo's main branch, when the repo's own app goes). */
    public StateStore.Change[] release(AppName app) {
        return new StateStore.Change[] {new StateStore.Change.Delete(APPS + app), new StateStore.Change.Delete(MAIN + app + MAIN_SUFFIX)};
    }
}
