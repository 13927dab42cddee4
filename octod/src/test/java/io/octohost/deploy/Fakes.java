package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Commit;
import io.octohost.app.HealthCheck;
import io.octohost.app.Progress;
import io.octohost.app.Route;
import io.octohost.app.RunSpec;
import io.octohost.app.SourceTree;
import io.octohost.app.UserError;
import io.octohost.build.BuiltImage;
import io.octohost.build.ImageBuilder;
import io.octohost.route.Router;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * In-memory stand-ins for the stages a deploy drives (images, containers, routes), each writing
 * what it is asked to do into one shared journal, so a test reads the order of events. Any of them
 * can be told to fail its next call of a kind. Public for the command tests, which show what they hold.
 */
public final class Fakes {
    final List<String> journal = new CopyOnWriteArrayList<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    public final Images images = new Images();
    public final Runner runner = new Runner();
    final Nginx router = new Nginx();

    void failNext(String call) {
        failing.add(call);
    }

    private void call(String event) {
        journal.add(event);
        String kind = event.split(" ")[0];
        if (failing.remove(kind)) {
            throw new UserError(kind + " failed");
        }
    }

    /** The journal's events of these kinds, in order. */
    List<String> events(String... kinds) {
        List<String> wanted = List.of(kinds);
        return journal.stream().filter(e -> wanted.contains(e.split(" ")[0])).toList();
    }

    public final class Images implements ImageBuilder {
        public final Map<String, AppName> built = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public BuiltImage build(AppName app, SourceTree tree, Progress progress) {
            call("build " + app);
            String id = "sha256:image" + next.incrementAndGet();
            built.put(id, app);
            return new BuiltImage(id, OptionalInt.of(80));
        }

        @Override
        public void removeImages(AppName app) {
            call("removeImages " + app);
            built.values().removeIf(app::equals);
        }

        @Override
        public void removeImage(AppName app, String imageId) {
            call("removeImage " + imageId);
            built.remove(imageId);
        }

        @Override
        public boolean exists(String imageId) {
            return built.containsKey(imageId);
        }

        @Override
        public List<String> images(AppName app) {
            return built.entrySet().stream().filter(e -> e.getValue().equals(app)).map(Map.Entry::getKey).toList();
        }

        @Override
        public void pruneDangling() {
        }
    }

    public final class Runner implements ContainerRunner {
        public final Map<String, AppContainer> running = new ConcurrentHashMap<>();
        final List<String> retired = new CopyOnWriteArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public List<Backend> start(RunSpec spec, Progress progress) {
            call("start " + spec.app() + " v" + spec.release());
            List<Backend> started = new ArrayList<>();
            for (int i = 1; i <= spec.instances(); i++) {
                int n = next.incrementAndGet();
                Backend b = new Backend("c" + n, spec.app() + ".v" + spec.release() + "." + i, "10.0.0." + n, 80, 30000 + n);
                running.put(b.containerId(), new AppContainer(spec.app(), spec.release(), b.containerId(), b.containerName(),
                        spec.commit().sha(), true, Optional.of(b)));
                started.add(b);
            }
            return started;
        }

        @Override
        public void awaitHealthy(List<Backend> instances, Duration readyTimeout, Optional<HealthCheck> check, Progress progress) {
            call("healthy " + instances.stream().map(Backend::containerId).toList());
        }

        @Override
        public void retire(String containerId, Duration stopTimeout) {
            retired.add(containerId);
            running.remove(containerId);
        }

        @Override
        public void remove(String containerId) {
            call("remove " + containerId);
            running.remove(containerId);
        }

        @Override
        public void logs(String containerId, int tail, boolean follow, Consumer<byte[]> sink) {
        }

        @Override
        public List<AppContainer> list() {
            return List.copyOf(new TreeMap<>(running).values());
        }
    }

    final class Nginx implements Router {
        final Map<AppName, Route> table = new ConcurrentHashMap<>();

        @Override
        public void route(Route route) {
            call("route " + route.app() + " " + route.backends().stream().map(Backend::containerId).toList());
            table.put(route.app(), route);
        }

        @Override
        public void unroute(AppName app) {
            call("unroute " + app);
            table.remove(app);
        }

        @Override
        public void replaceAll(Collection<Route> routes) {
            table.clear();
            routes.forEach(r -> table.put(r.app(), r));
        }

        @Override
        public Map<AppName, Route> routes() {
            return Map.copyOf(table);
        }
    }

    /** A tree with a Dockerfile (or not) and maybe a CNAME file, for one commit. */
    static SourceTree tree(char digit, Map<String, String> files) {
        Commit commit = new Commit(String.valueOf(digit).repeat(40));
        return new SourceTree() {
            @Override
            public Commit commit() {
                return commit;
            }

            @Override
            public Optional<byte[]> file(String path) {
                return Optional.ofNullable(files.get(path)).map(s -> s.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void writeTar(OutputStream out, Map<String, byte[]> replaced) {
            }
        };
    }

    /** A branch that records being checked and moved, and can be stale. */
    final class Branch implements BranchUpdate {
        boolean stale;

        @Override
        public void checkUnmoved() {
            journal.add("checkBranch");
            if (stale) {
                throw new UserError("stale info");
            }
        }

        @Override
        public void apply() {
            journal.add("moveBranch");
        }
    }

    /** What a deploy told its user, stage lines marked "----->". */
    static final class Output implements Progress {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void stage(String text) {
            lines.add("-----> " + text);
        }

        @Override
        public void line(String text) {
            lines.add(text);
        }
    }
}
