package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.BuildControl;
import io.octohost.app.BuildSpec;
import io.octohost.app.Commit;
import io.octohost.app.Progress;
import io.octohost.app.Release;
import io.octohost.app.Route;
import io.octohost.app.RunSpec;
import io.octohost.app.SourceTree;
import io.octohost.app.UserError;
import io.octohost.build.BuiltImage;
import io.octohost.build.ImageBuilder;
import io.octohost.build.ImageSandbox;
import io.octohost.registry.Registries;
import io.octohost.source.ImageRef;
import io.octohost.source.Source;
import io.octohost.source.SourceFetcher;
import io.octohost.route.Router;
import io.octohost.run.AppContainer;
import io.octohost.run.ContainerRunner;
import io.octohost.run.Rollout;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    final ImageSandbox sandbox = new ImageSandbox() {
        @Override
        public int run(String imageId, String command, Map<String, String> env, Duration timeout, Consumer<String> lines,
                       BuildControl control) {
            call("stage " + command);
            return 0;
        }

        @Override
        public void copy(String imageId, String path, OutputStream out) {
            call("copy " + path);
        }
    };
    public final Runner runner = new Runner();
    final Nginx router = new Nginx();
    final Sources sources = new Sources();
    final Registry registries = new Registry();

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
        final List<Map<String, String>> args = new CopyOnWriteArrayList<>();
        /** Set: the next builds run until it is counted down, or until their build is stopped. */
        volatile CountDownLatch hold;
        final CountDownLatch building = new CountDownLatch(1);
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public BuiltImage build(AppName app, SourceTree tree, BuildSpec spec, Map<String, String> buildArgs, Progress progress,
                                BuildControl control) {
            call("build " + app);
            args.add(Map.copyOf(buildArgs));
            CountDownLatch wait = hold;
            if (wait != null) {
                building.countDown();
                try (BuildControl.Registration stop = control.onStop(wait::countDown)) {
                    if (!wait.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("a held build was never let go");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                control.check();
            }
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
        public void pruneDangling(AppName app) {
        }
    }

    public final class Runner implements ContainerRunner {
        public final Map<String, AppContainer> running = new ConcurrentHashMap<>();
        final List<String> retired = new CopyOnWriteArrayList<>();
        /** Like a Swarm: the new instances replace the old ones while they start, telling who serves as they go. */
        volatile boolean replacesAsItGoes;
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Rollout start(RunSpec spec, Progress progress) {
            call("start " + spec.app() + " v" + spec.release());
            List<AppContainer> before = list(spec.app());
            List<Backend> started = new ArrayList<>();
            for (int i = 1; i <= spec.instances(); i++) {
                int n = next.incrementAndGet();
                Backend b = new Backend("c" + n, spec.app() + ".v" + spec.release() + "." + i, "10.0.0." + n, 80, "127.0.0.1", 30000 + n);
                running.put(b.containerId(), new AppContainer(spec.app(), spec.release(), b.containerId(), b.containerName(),
                        spec.commit().map(Commit::sha).orElse(null), true, Optional.of(b), ""));
                started.add(b);
            }
            return new Rollout() {
                @Override
                public List<Backend> awaitHealthy(Duration readyTimeout, Progress progress, Consumer<List<Backend>> serving) {
                    if (replacesAsItGoes) {
                        List<Backend> both = new ArrayList<>(before.stream().flatMap(c -> c.backend().stream()).toList());
                        both.addAll(started);
                        serving.accept(both);
                        before.forEach(c -> running.remove(c.id()));
                    }
                    call("healthy " + started.stream().map(Backend::containerId).toList());
                    return started;
                }

                @Override
                public List<AppContainer> replaced() {
                    return replacesAsItGoes ? List.of() : before;
                }

                @Override
                public void undo(Consumer<List<Backend>> serving) {
                    started.forEach(b -> remove(b.containerId()));
                    if (replacesAsItGoes) {
                        // like Swarm rolling back: new instances of the old release, on new ports
                        List<Backend> back = new ArrayList<>();
                        for (AppContainer c : before) {
                            int n = next.incrementAndGet();
                            Backend b = new Backend("c" + n, c.name(), "10.0.0." + n, 80, "127.0.0.1", 30000 + n);
                            running.put(b.containerId(), new AppContainer(c.app(), c.release(), b.containerId(), b.containerName(),
                                    c.commit(), true, Optional.of(b), ""));
                            back.add(b);
                        }
                        serving.accept(back);
                    }
                }
            };
        }

        @Override
        public List<Backend> restore(RunSpec spec, Duration readyTimeout) {
            call("restore " + spec.app() + " v" + spec.release());
            return list(spec.app()).stream().flatMap(c -> c.backend().stream()).toList();
        }

        @Override
        public boolean canRun(Release release) {
            return images.exists(release.imageId());
        }

        @Override
        public void retire(AppContainer instance, Duration stopTimeout) {
            retired.add(instance.id());
            running.remove(instance.id());
        }

        @Override
        public void removeAll(AppName app) {
            list(app).forEach(c -> remove(c.id()));
        }

        private void remove(String containerId) {
            call("remove " + containerId);
            running.remove(containerId);
        }

        @Override
        public void logs(AppName app, int tail, boolean follow, Consumer<byte[]> sink) {
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

    /** Fetches every source as the same tree, with a Dockerfile. */
    final class Sources implements SourceFetcher {
        @Override
        public SourceTree fetch(AppName app, Source source, Progress progress, BuildControl control) {
            call("fetch " + source.describe());
            return tree('f', Map.of("Dockerfile", "FROM scratch\n"));
        }
    }

    /** A registry with one image to pull, that takes every push. */
    final class Registry implements Registries {
        @Override
        public BuiltImage pull(ImageRef image, Progress progress, BuildControl control) {
            call("pull " + image.reference());
            return new BuiltImage("sha256:pulled", OptionalInt.of(8080));
        }

        @Override
        public String push(String imageId, ImageRef to, Progress progress, BuildControl control) {
            call("push " + imageId + " " + to.reference());
            return to.registry() + "/" + to.repository() + ":" + to.tag() + "@sha256:" + "0".repeat(64);
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
