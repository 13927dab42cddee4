package io.octohost.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The few docker CLI calls the scenarios need. */
public final class Docker {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Docker() {
    }

    /** Ids of all containers (running or not) that carry every given label (each "key=value"). */
    public static List<String> containers(String... labels) {
        List<String> cmd = new ArrayList<>(List.of("docker", "ps", "-aq", "--no-trunc"));
        for (String l : labels) {
            cmd.add("--filter");
            cmd.add("label=" + l);
        }
        return lines(Proc.of(cmd).timeout(TIMEOUT).run().orFail().output());
    }

    /** The value of a container's label, or "" when it has none. */
    public static String label(String container, String key) {
        return Proc.of("docker", "inspect", "-f", "{{index .Config.Labels \"" + key + "\"}}", container)
                .timeout(TIMEOUT).run().orFail().trimmed();
    }

    /** The container's state, e.g. "running". */
    public static String state(String container) {
        return Proc.of("docker", "inspect", "-f", "{{.State.Status}}", container).timeout(TIMEOUT).run().orFail().trimmed();
    }

    public static boolean imageExists(String ref) {
        return Proc.of("docker", "image", "inspect", ref).timeout(TIMEOUT).run().ok();
    }

    /** Best effort: docker rm -f. */
    public static void removeContainers(List<String> ids) {
        if (ids.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("docker", "rm", "-f"));
        cmd.addAll(ids);
        Proc.of(cmd).timeout(TIMEOUT).run();
    }

    /**
     * Best effort: for each app, removes the tags {@code octohost/APP:<tag>} given, and
     * {@code octohost/APP:latest} when it points at one of their images. Images in use stay.
     */
    public static void removeImages(Map<String, Set<String>> tagsByApp) {
        List<String> refs = new ArrayList<>();
        tagsByApp.forEach((app, tags) -> {
            Set<String> ids = new HashSet<>();
            for (String tag : tags) {
                String id = imageId("octohost/" + app + ":" + tag);
                if (id != null) {
                    ids.add(id);
                    refs.add("octohost/" + app + ":" + tag);
                }
            }
            String latest = imageId("octohost/" + app + ":latest");
            if (latest != null && ids.contains(latest)) refs.add("octohost/" + app + ":latest");
        });
        if (refs.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("docker", "rmi"));
        cmd.addAll(refs);
        Proc.of(cmd).timeout(TIMEOUT).run();
    }

    /** The image id of a reference, or null. */
    public static String imageId(String ref) {
        Proc.Result r = Proc.of("docker", "image", "inspect", "-f", "{{.Id}}", ref).timeout(TIMEOUT).run();
        return r.ok() ? r.trimmed() : null;
    }

    static List<String> lines(String s) {
        return Arrays.stream(s.split("\n")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
