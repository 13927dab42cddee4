package io.octohost.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The images octod builds for apps: the one place the scenarios find them, and remove them. */
public final class Images {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Images() {
    }

    /** An image and the references (REPO:TAG) through which it was found. */
    public record Image(String id, List<String> refs) {
    }

    /**
     * The images octod {@code instanceId} built for {@code app}. Today octod names them
     * {@code octohost/APP:<short sha>} (and {@code :latest}) and labels them not, so they are found by
     * name and kept to the commits pushed to this octod ({@code commits}, short shas): another octod's
     * images of an app with the same name (scripts/run's, a crashed run's) are not this one's. Once
     * images carry the labels {@code octohost.app} and {@code octohost.instance}, this becomes a filter
     * on those two and {@code commits} goes.
     */
    public static List<Image> of(String instanceId, String app, Set<String> commits) {
        String listing = Proc.of("docker", "images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}",
                "octohost/" + app).timeout(TIMEOUT).run().orFail().output();
        Map<String, List<String>> refsById = new LinkedHashMap<>();
        Set<String> latest = new LinkedHashSet<>();
        for (String line : Docker.lines(listing)) {
            String[] idAndRef = line.split(" ", 2);
            String tag = idAndRef[1].substring(idAndRef[1].lastIndexOf(':') + 1);
            if (commits.contains(tag)) refsById.computeIfAbsent(idAndRef[0], k -> new ArrayList<>()).add(idAndRef[1]);
            else if (tag.equals("latest")) latest.add(line);
        }
        for (String line : latest) {
            String[] idAndRef = line.split(" ", 2);
            if (refsById.containsKey(idAndRef[0])) refsById.get(idAndRef[0]).add(idAndRef[1]);
        }
        List<Image> images = new ArrayList<>();
        refsById.forEach((id, refs) -> images.add(new Image(id, List.copyOf(refs))));
        return images;
    }

    /** The distinct ids of the images. */
    public static Set<String> ids(List<Image> images) {
        Set<String> ids = new LinkedHashSet<>();
        images.forEach(i -> ids.add(i.id()));
        return ids;
    }

    /**
     * Best effort: removes the references through which the images were found. An image another app
     * still names, or a container still uses, stays.
     */
    public static void remove(List<Image> images) {
        List<String> cmd = new ArrayList<>(List.of("docker", "rmi"));
        images.forEach(i -> cmd.addAll(i.refs()));
        if (cmd.size() > 2) Proc.of(cmd).timeout(TIMEOUT).run();
    }
}
