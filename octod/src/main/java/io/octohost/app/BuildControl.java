package io.octohost.app;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The controls of one build, shared by the deploy that runs it and whoever watches it. The deploy
 * says when it starts building and looks between steps whether it was told to stop; a long call (a
 * docker build, a pull, a download) registers how to end it at once. Once sealed (the route switch
 * is next) the build can no longer be stopped. Deploys that build nothing get {@link #none()}.
 */
public final class BuildControl {
    private final Runnable onBuilding;
    private final List<Runnable> hooks = new ArrayList<>();
    private Stopped stopped;
    private boolean sealed;
    private boolean building;

    public BuildControl(Runnable onBuilding) {
        this.onBuilding = onBuilding;
    }

    /** For deploys nobody stops and nobody watches (a config change, a rollback). */
    public static BuildControl none() {
        return new BuildControl(() -> { });
    }

    /** The build holds the app's lock and a build slot: said once. */
    public void building() {
        synchronized (this) {
            if (building) {
                return;
            }
            building = true;
        }
        onBuilding.run();
    }

    /**
     * Tells the build to stop and ends what it runs now; false when it cannot stop any more (it was
     * sealed, or told to stop before).
     */
    public boolean stop(BuildStatus why, String reason) {
        List<Runnable> toRun;
        synchronized (this) {
            if (sealed || stopped != null) {
                return false;
            }
            stopped = new Stopped(why, reason);
            toRun = List.copyOf(hooks);
        }
        toRun.forEach(Runnable::run);
        return true;
    }

    public synchronized Optional<Stopped> stopped() {
        return Optional.ofNullable(stopped);
    }

    /** @throws Stopped when the build was told to stop */
    public void check() {
        Optional<Stopped> s = stopped();
        if (s.isPresent()) {
            throw new Stopped(s.get().status(), s.get().getMessage());
        }
    }

    /** What a failure of the build is: the stop, when the build was told to stop (its calls fail as they are ended). */
    public RuntimeException explain(RuntimeException failure) {
        return stopped().<RuntimeException>map(s -> {
            Stopped e = new Stopped(s.status(), s.getMessage());
            if (failure != null && !(failure instanceof Stopped)) {
                e.addSuppressed(failure);
            }
            return e;
        }).orElse(failure);
    }

    /** Runs {@code hook} when the build is told to stop (at once if it was already), until the registration is closed. */
    public Registration onStop(Runnable hook) {
        synchronized (this) {
            if (stopped == null) {
                hooks.add(hook);
                return () -> {
                    synchronized (this) {
                        hooks.remove(hook);
                    }
                };
            }
        }
        hook.run();
        return () -> { };
    }

    /** Closes {@code resource} when the build is told to stop (ending a call that reads from it), until the registration is closed. */
    public Registration closeOnStop(Closeable resource) {
        return onStop(() -> {
            try {
                resource.close();
            } catch (IOException e) {
                // stopping: the call reading from it fails, which is what is wanted
            }
        });
    }

    /** From now on the build cannot be stopped. @throws Stopped when it was told to stop before */
    public synchronized void seal() {
        check();
        sealed = true;
    }

    public synchronized boolean sealed() {
        return sealed;
    }

    /** A hook registered for as long as a call runs. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
