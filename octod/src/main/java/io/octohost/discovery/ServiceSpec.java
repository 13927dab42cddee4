package io.octohost.discovery;

import io.octohost.app.AppName;
import io.octohost.app.Backend;
import io.octohost.app.ConfigKeys;
import org.kiwiproject.consul.model.agent.ImmutableRegCheck;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration;
import org.kiwiproject.consul.model.health.Service;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How one routed container is registered with the local Consul agent, as octohost's
 * {@code octo service:set} did: service {@code APP}, ID {@code APP-<container short id>}, the host
 * address and port nginx uses, tags from the app's {@code CONSUL_TAGS} (comma or space separated;
 * default {@code http}) and an HTTP check on that port every 15 s. {@code CUSTOM_CHECK} (a path, or a
 * URL whose path and query are used) and {@code CUSTOM_CHECK_INTERVAL} (e.g. {@code 30s}, {@code 1m})
 * override the check, as in octohost; without CUSTOM_CHECK, octod's own HEALTHCHECK_PATH is used
 * when set.
 */
public record ServiceSpec(String id, String name, String address, int port, List<String> tags, String checkUrl,
                          String checkInterval, String containerId) {
    public static final String ADDRESS = "127.0.0.1";
    public static final String DEFAULT_TAG = "http";
    public static final String DEFAULT_INTERVAL = "15s";
    /** Marks the services this octod registered: it never touches any other. */
    public static final String META_INSTANCE = "octohost-instance";
    public static final String META_CONTAINER = "octohost-container";
    /** A digest of the whole registration: a service whose digest differs is registered again. */
    public static final String META_SPEC = "octohost-spec";
    private static final Pattern DURATION = Pattern.compile("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+");
    private static final Pattern SECONDS = Pattern.compile("\\d+");

    public ServiceSpec {
        tags = List.copyOf(tags);
    }

    /** The registration of a container of {@code app} reached at {@code backend}, with the app's config keys. */
    public static ServiceSpec of(AppName app, Backend backend, Map<String, String> config) {
        int port = backend.hostPort();
        return new ServiceSpec(app + "-" + backend.shortId(), app.value(), ADDRESS, port,
                tags(config.get(ConfigKeys.CONSUL_TAGS)), checkUrl(port, config), interval(config.get(ConfigKeys.CUSTOM_CHECK_INTERVAL)),
                backend.containerId());
    }

    static List<String> tags(String value) {
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        if (value != null) {
            for (String t : value.split("[\\s,]+")) {
                if (!t.isEmpty()) {
                    tags.add(t);
                }
            }
        }
        return tags.isEmpty() ? List.of(DEFAULT_TAG) : List.copyOf(tags);
    }

    static String checkUrl(int port, Map<String, String> config) {
        String base = "http://" + ADDRESS + ":" + port;
        String custom = config.getOrDefault(ConfigKeys.CUSTOM_CHECK, "").strip();
        if (custom.isEmpty()) {
            custom = config.getOrDefault(ConfigKeys.HEALTHCHECK_PATH, "").strip();
        }
        if (custom.isEmpty()) {
            return base;
        }
        if (custom.startsWith("http://") || custom.startsWith("https://")) {
            // octohost's CUSTOM_CHECK was a whole URL of the container's address; ours is per container
            try {
                URI uri = URI.create(custom);
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                return base + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            } catch (IllegalArgumentException e) {
                return base;
            }
        }
        if (custom.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            return base;
        }
        return base + (custom.startsWith("/") ? custom : "/" + custom);
    }

    static String interval(String value) {
        String v = value == null ? "" : value.strip();
        if (SECONDS.matcher(v).matches() && !v.equals("0")) {
            return v + "s";
        }
        if (DURATION.matcher(v).matches()) {
            return v;
        }
        return DEFAULT_INTERVAL;
    }

    /** The agent registration; the check starts as passing, since octod only registers containers it routes. */
    public Registration registration(String instanceId) {
        return ImmutableRegistration.builder()
                .id(id)
                .name(name)
                .address(address)
                .port(port)
                .tags(tags)
                .putMeta(META_INSTANCE, instanceId)
                .putMeta(META_CONTAINER, containerId)
                .putMeta(META_SPEC, digest())
                .check(ImmutableRegCheck.builder().http(checkUrl).interval(checkInterval).status("passing").build())
                .build();
    }

    /** Whether the agent's service is this registration as it is now. */
    public boolean matches(Service registered) {
        return registered.getId().equals(id) && registered.getPort() == port && address.equals(registered.getAddress())
                && digest().equals(registered.getMeta().get(META_SPEC));
    }

    String digest() {
        String text = String.join("\n", id, name, address, Integer.toString(port), String.join(",", tags), checkUrl,
                checkInterval, containerId);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
