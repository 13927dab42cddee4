package io.octohost.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /** Ids of the images that carry every given label (each "key=value"). */
    public static List<String> images(String... labels) {
        List<String> cmd = new ArrayList<>(List.of("docker", "images", "-q", "--no-trunc"));
        for (String l : labels) {
            cmd.add("--filter");
            cmd.add("label=" + l);
        }
        return lines(Proc.of(cmd).timeout(TIMEOUT).run().orFail().output()).stream().distinct().toList();
    }

    /** Best effort: removes every image that carries the labels, whatever its tags. */
    public static void removeImages(String... labels) {
        List<String> ids = images(labels);
        if (ids.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("docker", "rmi", "-f"));
        cmd.addAll(ids);
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
