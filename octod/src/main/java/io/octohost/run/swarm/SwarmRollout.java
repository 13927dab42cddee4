package io.octohost.run.swarm;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.ServiceUpdateState;
import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.Labels;
import io.octohost.app.Progress;
import io.octohost.app.RunSpec;
import io.octohost.app.UserError;
import io.octohost.run.AppContainer;
import io.octohost.run.Rollout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A service created or updated for a release, followed until Swarm is done with it: every task of
 * the release runs and is healthy, or Swarm rolled the update back (then the first failed task's
 * reason is the deploy's). While Swarm replaces tasks, {@code serving} hears of the tasks that take
 * traffic (running, and not being stopped) each time they change.
 */
final class SwarmRollout implements Rollout {
    private static final Logger log = LoggerFactory.getLogger(SwarmRollout.class);
    private static final Duration POLL = Duration.ofMillis(150);
    /** Time for the nodes to pull an image, beyond each task's own start and check. */
    private static final Duration PULL = Duration.ofSeconds(30);

    private final SwarmRunner swarm;
    private final RunSpec spec;
    private final AppName app;
    private final String serviceId;
    private final Optional<ServiceSpec> previous;
    private final boolean rolling;
    private final Set<String> before;
    private final String template;

    /**
     * @param previous the service's spec before, empty when the rollout created it
     * @param rolling  whether Swarm replaces the tasks (a new task spec), not just adds or removes some
     * @param before   the ids of the service's tasks before the rollout
     * @param template the release label of the task spec the service has now: its tasks are the ones to wait for
     */
    SwarmRollout(SwarmRunner swarm, RunSpec spec, String serviceId, Optional<ServiceSpec> previous, boolean rolling,
                 List<String> before, String template) {
        this.swarm = swarm;
        this.spec = spec;
        this.app = spec.app();
        this.serviceId = serviceId;
        this.previous = previous;
        this.rolling = rolling;
        this.before = new HashSet<>(before);
        this.template = template;
    }

    @Override
    public List<Backend> awaitHealthy(Duration readyTimeout, Progress progress, Consumer<List<Backend>> serving) {
        Watch watch = new Watch(progress, serving);
        long deadline = System.nanoTime() + budget(readyTimeout, spec.instances()).toNanos();
        while (true) {
            Service service = inspect();
            watch.see(swarm.tasks.of(List.of(serviceId)));
            ServiceUpdateState state = service.getUpdateStatus() == null ? null : service.getUpdateStatus().getState();
            if (state == ServiceUpdateState.ROLLBACK_STARTED || state == ServiceUpdateState.ROLLBACK_PAUSED
                    || state == ServiceUpdateState.ROLLBACK_COMPLETED) {
                awaitRollback(watch, deadline + budget(readyTimeout, spec.instances()).toNanos());
                throw new UserError(watch.failure().orElse("a new task failed") + "; Swarm rolled " + app + " back to v"
                        + service.getSpec().getLabels().get(Labels.RELEASE) + ", which keeps serving");
            }
            if (state == ServiceUpdateState.PAUSED) {
                throw new UserError("Swarm paused the update of " + app + ": " + service.getUpdateStatus().getMessage());
            }
            // no update status: none is needed (a scale, a create, tasks of the spec already) or none began yet
            boolean settled = state == null || state == ServiceUpdateState.COMPLETED;
            if (settled && watch.ready()) {
                return watch.serving;
            }
            if (!rolling && watch.failure().isPresent()) {
                throw new UserError(watch.failure().get());
            }
            if (System.nanoTime() > deadline) {
                throw new UserError(app + " v" + spec.release() + ": not every task ran and passed its health check within "
                        + budget(readyTimeout, spec.instances()).toSeconds() + " s" + watch.failure().map(f -> " (" + f + ")").orElse(""));
            }
            sleep();
        }
    }

    /** Follows Swarm's rollback to its end, so that the old tasks serve when the deploy reports its failure. */
    private void awaitRollback(Watch watch, long deadline) {
        while (System.nanoTime() < deadline) {
            Service service = inspect();
            watch.see(swarm.tasks.of(List.of(serviceId)));
            ServiceUpdateState state = service.getUpdateStatus() == null ? null : service.getUpdateStatus().getState();
            if (state != ServiceUpdateState.ROLLBACK_STARTED) {
                return;
            }
            sleep();
        }
    }

    /** The longest a rollout of {@code tasks} may take: each task's start and check, one after the other, and a pull. */
    private Duration budget(Duration readyTimeout, int tasks) {
        Duration perTask = spec.health().map(h -> h.interval().plus(h.timeout()).multipliedBy(h.attempts()).plusSeconds(5))
                .orElse(readyTimeout.plusSeconds(5));
        return perTask.multipliedBy(Math.max(1, tasks)).plus(PULL);
    }

    @Override
    public List<AppContainer> replaced() {
        return List.of();
    }

    /** Removes a service the rollout made; else sends the service back to its spec before, unless Swarm did. */
    @Override
    public void undo(Consumer<List<Backend>> serving) {
        if (previous.isEmpty()) {
            swarm.removeAll(app);
            serving.accept(List.of());
            return;
        }
        Service now = inspect();
        ServiceSpec was = previous.get();
        if (was.getLabels().equals(now.getSpec().getLabels())) {
            return;
        }
        log.info("taking the update of {} back to v{}", app, was.getLabels().get(Labels.RELEASE));
        List<String> tasksNow = swarm.tasks.of(List.of(serviceId)).stream().map(SwarmTasks.Task::id).toList();
        swarm.docker.updateServiceCmd(serviceId, was).withVersion(now.getVersion().getIndex()).exec();
        boolean rollingBack = !was.getTaskTemplate().equals(now.getSpec().getTaskTemplate()) && SwarmRunner.replicas(was) > 0;
        RunSpec back = new RunSpec(app, Integer.parseInt(was.getLabels().get(Labels.RELEASE)), spec.commit(), spec.image(),
                spec.published(), spec.port(), spec.env(), spec.memoryLimitBytes(), spec.capabilities(), SwarmRunner.replicas(was), spec.health(),
                spec.placement());
        new SwarmRollout(swarm, back, serviceId, Optional.empty(), rollingBack, tasksNow, SwarmRunner.templateRelease(was))
                .awaitHealthy(Duration.ofSeconds(30), Progress.SILENT, serving);
    }

    private boolean ofTemplate(SwarmTasks.Task task) {
        return template.equals(task.labels().get(Labels.RELEASE));
    }

    private Service inspect() {
        try {
            return swarm.docker.inspectServiceCmd(serviceId).exec();
        } catch (NotFoundException e) {
            throw new UserError("the Swarm service " + app + " was removed while it was being deployed");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    /** What the tasks did since the last look: who runs now, who failed and why, told once each. */
    private final class Watch {
        private final Progress progress;
        private final Consumer<List<Backend>> follow;
        private final Set<String> told = new HashSet<>();
        private List<Backend> serving = List.of();
        private List<SwarmTasks.Task> current = List.of();
        private String firstFailure;

        Watch(Progress progress, Consumer<List<Backend>> follow) {
            this.progress = progress;
            this.follow = follow;
        }

        void see(List<SwarmTasks.Task> tasks) {
            current = tasks;
            List<Backend> now = new ArrayList<>();
            for (SwarmTasks.Task t : tasks) {
                swarm.backend(app, t).ifPresent(now::add);
                boolean fresh = !before.contains(t.id()) && ofTemplate(t);
                if (fresh && t.running() && told.add(t.id())) {
                    progress.line(app + "." + t.slot() + " runs on " + swarm.tasks.node(t.nodeId()).hostname()
                            + (t.publishedPort() > 0 ? ", port " + t.publishedPort() : "") + (spec.health().isPresent()
                            ? ", answers GET " + spec.health().get().path() : ""));
                }
                if (fresh && t.failed() && told.add(t.id())) {
                    String reason = new TaskFailure(swarm.docker, spec).explain(app + "." + t.slot(), t);
                    progress.line(reason);
                    if (firstFailure == null) {
                        firstFailure = reason;
                    }
                }
            }
            if (!sameTasks(now, serving)) {
                serving = List.copyOf(now);
                follow.accept(serving);
            }
        }

        /** As many tasks as the release asks for take traffic, all of its task spec (new ones, or kept ones). */
        boolean ready() {
            List<SwarmTasks.Task> running = current.stream().filter(SwarmTasks.Task::running).toList();
            long desired = current.stream().filter(t -> "running".equals(t.desiredState())).count();
            return running.size() == spec.instances() && desired == spec.instances() && running.stream().allMatch(SwarmRollout.this::ofTemplate)
                    && serving.size() == (spec.port().isPresent() ? spec.instances() : 0);
        }

        Optional<String> failure() {
            return Optional.ofNullable(firstFailure);
        }

        private static boolean sameTasks(List<Backend> a, List<Backend> b) {
            return a.stream().map(x -> x.containerId() + ":" + x.hostPort()).sorted().toList()
                    .equals(b.stream().map(x -> x.containerId() + ":" + x.hostPort()).sorted().toList());
        }
    }
}
