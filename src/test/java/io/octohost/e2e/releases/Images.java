package io.octohost.e2e.releases;

import io.octohost.e2e.Docker;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The images of an app's repository {@code octohost/APP}, and cleaning up after a class. */
final class Images {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Images() {
    }

    /** Distinct image ids of the repository {@code octohost/APP}, whatever their tags. */
    static Set<String> ids(String app) {
        String out = Proc.of("docker", "images", "-q", "--no-trunc", "octohost/" + app).timeout(TIMEOUT).run().orFail().output();
        return new LinkedHashSet<>(lines(out));
    }

    /** Every tag of the repository {@code octohost/APP}. */
    static List<String> tags(String app) {
        String out = Proc.of("docker", "images", "--format", "{{.Repository}}:{{.Tag}}", "octohost/" + app)
                .timeout(TIMEOUT).run().orFail().output();
        return lines(out).stream().filter(t -> !t.endsWith(":<none>")).toList();
    }

    /**
     * Removes this octod's containers of the apps, then every tag of their repositories (and the
     * given extra references): for apps the fixture does not know of, e.g. pushed with
     * {@link StreamingPush}. App names are unique to the class, so no other run's images go.
     */
    static void cleanUp(Octohost octohost, List<String> apps, List<String> extraRefs) {
        List<String> refs = new ArrayList<>(extraRefs);
        for (String app : apps) {
            Docker.removeContainers(octohost.containers(app));
            refs.addAll(tags(app));
            ids(app).forEach(id -> {
                if (!refs.contains(id)) refs.add(id);
            });
        }
        if (refs.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("docker", "rmi", "-f"));
        cmd.addAll(refs);
        Proc.of(cmd).timeout(TIMEOUT).run();
    }

    static List<String> lines(String s) {
        return Arrays.stream(s.split("\n")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
