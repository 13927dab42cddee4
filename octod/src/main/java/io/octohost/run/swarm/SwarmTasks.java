package io.octohost.run.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.transport.DockerHttpClient;
import io.octohost.app.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tasks of Swarm services, and the nodes they run on. Tasks are read from the Engine API's
 * {@code GET /tasks} through docker-java's transport, because docker-java's own {@code Task} model
 * has no {@code PortStatus}: the host port Swarm gave each task (publish mode {@code host}).
 */
final class SwarmTasks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DockerClient docker;
    private final DockerHttpClient http;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();

    /** A Swarm node: its host name, and the address other hosts reach its published ports at. */
    record Node(String id, String hostname, String address) {
    }

    /** One task of a service, as far as octod cares. */
    record Task(String id, String serviceId, int slot, String nodeId, String desiredState, String state, String message,
                String err, String containerId, int publishedPort, Map<String, String> labels) {
        boolean running() {
            return "running".equals(state) && "running".equals(desiredState);
        }

        /**
         * Ended by itself: failed, refused by its node, or exited 0 (an app that stops cleanly when
         * Docker stops its unhealthy container, or that just ends, is "complete").
         */
        boolean failed() {
            return "failed".equals(state) || "rejected".equals(state) || "complete".equals(state);
        }
    }

    SwarmTasks(DockerClient docker, DockerHttpClient http) {
        this.docker = docker;
        this.http = http;
    }

    /** The tasks of these services (their history too), newest first. */
    List<Task> of(List<String> serviceIds) {
        if (serviceIds.isEmpty()) {
            return List.of();
        }
        String filters;
        try {
            filters = JSON.writeValueAsString(Map.of("service", serviceIds));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path("/tasks?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8)).build();
        try (DockerHttpClient.Response response = http.execute(request); InputStream body = response.getBody()) {
            JsonNode tasks = JSON.readTree(body);
            if (response.getStatusCode() != 200 || !tasks.isArray()) {
                throw new UserError("the Docker engine listed no tasks (HTTP " + response.getStatusCode() + "): "
                        + tasks.path("message").asText(""));
            }
            List<Task> result = new ArrayList<>();
            tasks.forEach(t -> result.add(task(t)));
            result.sort((a, b) -> b.id().compareTo(a.id()));
            return result;
        } catch (IOException e) {
            throw new UserError("cannot list the Swarm tasks: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static Task task(JsonNode t) {
        JsonNode status = t.path("Status");
        int port = 0;
        for (JsonNode p : status.path("PortStatus").path("Ports")) {
            if ("host".equals(p.path("PublishMode").asText()) && p.path("PublishedPort").asInt() > 0) {
                port = p.path("PublishedPort").asInt();
                break;
            }
        }
        Map<String, String> labels = new TreeMap<>();
        t.path("Spec").path("ContainerSpec").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new Task(t.path("ID").asText(), t.path("ServiceID").asText(), t.path("Slot").asInt(), t.path("NodeID").asText(),
                t.path("DesiredState").asText(), status.path("State").asText(), status.path("Message").asText(""),
                status.path("Err").asText(""), status.path("ContainerStatus").path("ContainerID").asText(""), port, labels);
    }

    /** The node a task runs on; nodes are read again when one is unknown (a node joined). */
    Node node(String id) {
        Node known = nodes.get(id);
        if (known != null) {
            return known;
        }
        for (SwarmNode n : docker.listSwarmNodesCmd().exec()) {
            String hostname = n.getDescription() == null ? n.getId() : n.getDescription().getHostname();
            String address = n.getStatus() == null || n.getStatus().getAddress() == null ? "" : n.getStatus().getAddress();
            if ((address.isEmpty() || address.equals("0.0.0.0")) && n.getManagerStatus() != null && n.getManagerStatus().getAddr() != null) {
                // some engines report a manager's node address as 0.0.0.0: its advertised address says where it is
                address = n.getManagerStatus().getAddr().replaceFirst(":\\d+$", "");
            }
            nodes.put(n.getId(), new Node(n.getId(), hostname, address));
        }
        return nodes.getOrDefault(id, new Node(id, id, ""));
    }
}
