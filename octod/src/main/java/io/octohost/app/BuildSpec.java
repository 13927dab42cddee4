package io.octohost.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one branch of an app is built, from its {@code octohost.yml} ({@link BuildFile}) or, without
 * one, {@link #DEFAULT}: the Dockerfile and its target stage, build args, the stages run in the new
 * image before it goes live, the paths copied out of it, and an extra tag of the image.
 */
public record BuildSpec(String dockerfile, Optional<String> target, Map<String, String> buildArgs, List<Stage> stages,
                        List<Artifact> artifacts, Optional<String> tag) {
    /** No build file: the Dockerfile at the root, nothing else. */
    public static final BuildSpec DEFAULT = new BuildSpec("Dockerfile", Optional.empty(), Map.of(), List.of(), List.of(), Optional.empty());

    public BuildSpec {
        buildArgs = Map.copyOf(buildArgs);
        stages = List.copyOf(stages);
        artifacts = List.copyOf(artifacts);
    }

    /** A command run with {@code sh -c} in a fresh container of the new image; a non-zero exit or the timeout fails the build. */
    public record Stage(String name, String run, Duration timeout) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
        private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([smh]?)");

        /** {@code 90}, {@code 90s}, {@code 10m}, {@code 1h}: the one place a build file's durations are read. */
        public static Duration parseTimeout(String text) {
            Matcher m = DURATION.matcher(text.strip());
            if (!m.matches()) {
                throw new UserError("timeout '" + Printable.of(text, 40) + "' is not a duration like 90s, 10m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }

    /** A file or directory of the new image (an absolute path), kept with the build record under {@code name}. */
    public record Artifact(String name, String path) {
    }
}
