package io.octohost.run.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.exception.DockerException;
import io.octohost.app.RunSpec;

import java.util.List;
import java.util.Optional;

/**
 * Why a task failed, in one line: its health check's last answer when that is what failed (read from
 * the container, when it ran on this node), else Swarm's own error for the task.
 */
final class TaskFailure {
    private final DockerClient docker;
    private final RunSpec spec;

    TaskFailure(DockerClient docker, RunSpec spec) {
        this.docker = docker;
        this.spec = spec;
    }

    String explain(String name, SwarmTasks.Task task) {
        Optional<String> check = lastCheck(task.containerId());
        String swarmSays = task.err().isEmpty() ? task.message() : task.err();
        if (check.isPresent() && spec.health().isPresent()) {
            return "health check of " + name + " failed: GET " + spec.health().get().path() + " -> " + check.get()
                    + " (after " + spec.health().get().attempts() + " attempts)";
        }
        if (check.isPresent() && swarmSays.contains("unhealthy")) {
            return name + " did not listen on port " + spec.port().orElse(0) + ": " + swarmSays;
        }
        return name + " failed: " + swarmSays + check.map(c -> " (its last check: " + c + ")").orElse("");
    }

    /** The output of the container's last failed health check, when the container is on this node. */
    private Optional<String> lastCheck(String containerId) {
        if (containerId.isEmpty()) {
            return Optional.empty();
        }
        try {
            HealthState health = docker.inspectContainerCmd(containerId).exec().getState().getHealth();
            List<HealthStateLog> log = health == null || health.getLog() == null ? List.of() : health.getLog();
            for (int i = log.size() - 1; i >= 0; i--) {
                HealthStateLog entry = log.get(i);
                if (entry.getExitCodeLong() != null && entry.getExitCodeLong() != 0) {
                    String output = entry.getOutput() == null ? "" : entry.getOutput().strip().replace('\n', ' ');
                    return Optional.of(output.isEmpty() ? "exit code " + entry.getExitCodeLong() : output);
                }
            }
            return Optional.empty();
        } catch (DockerException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
