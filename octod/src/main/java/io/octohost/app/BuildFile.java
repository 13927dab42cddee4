package io.octohost.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code octohost.yml} at the root of an app's source: a {@code default:} section and a
 * {@code branches:} map of branch name to section, a branch's section overriding the default key by
 * key. Read once, strictly: a file that is not valid YAML, has an unknown key, a value of the wrong
 * type, a stage without name or run, a bad name or a path outside the source fails as a
 * {@link UserError} naming the file, the line and the reason.
 */
public final class BuildFile {
    public static final String NAME = "octohost.yml";
    private static final String NAME_RULE = "[a-z0-9][a-z0-9_.-]{0,62}";
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private BuildFile() {
    }

    /** How {@code branch} is built by this file (its section over the default). @throws UserError when the file is malformed */
    public static BuildSpec parse(byte[] yaml, String branch) {
        FileShape file;
        try (JsonParser parser = YAML.createParser(yaml)) {
            file = parser.nextToken() == null ? null : YAML.readValue(parser, FileShape.class);
        } catch (JacksonException e) {
            int line = duplicate(e) ? duplicateLine(yaml)
                    : e instanceof JsonMappingException m && !m.getPath().isEmpty() ? startLine(yaml, path(m.getPath()))
                    : Optional.ofNullable(e.getLocation()).map(JsonLocation::getLineNr).orElse(0);
            throw new UserError(NAME + (line < 1 ? "" : " line " + line) + ": " + reason(e));
        } catch (IOException e) {
            throw new UserError(NAME + ": " + e.getMessage());
        }
        if (file == null) {
            return BuildSpec.DEFAULT;
        }
        try {
            file.check();
        } catch (Invalid e) {
            int line = startLine(yaml, e.at);
            throw new UserError(NAME + (line < 1 ? "" : " line " + line) + ": " + where(e.at) + ": " + e.getMessage());
        }
        Section own = file.branches() == null ? null : file.branches().get(branch);
        Section base = file.defaults();
        BuildSpec d = BuildSpec.DEFAULT;
        return new BuildSpec(
                pick(own, base, Section::dockerfile).map(BuildFile::sourcePath).orElse(d.dockerfile()),
                pick(own, base, Section::target),
                pick(own, base, Section::buildArgs).orElse(d.buildArgs()),
                pick(own, base, Section::stages).map(s -> s.stream().map(StageShape::stage).toList()).orElse(d.stages()),
                pick(own, base, Section::artifacts).map(a -> a.stream().map(ArtifactShape::artifact).toList()).orElse(d.artifacts()),
                pick(own, base, Section::tag));
    }

    /** The branch's value of a key when it sets it, else the default section's. */
    private static <T> Optional<T> pick(Section own, Section base, Function<Section, T> key) {
        return Optional.ofNullable(own).map(key).or(() -> Optional.ofNullable(base).map(key));
    }

    /**
     * The line where the value at {@code path} starts: Jackson places a failed object at its end,
     * which in YAML is the line after it.
     */
    private static int startLine(byte[] yaml, List<Object> path) {
        StringBuilder pointer = new StringBuilder();
        path.forEach(key -> pointer.append('/').append(key));
        try (JsonParser parser = YAML.createParser(yaml)) {
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                if ((t.isStructStart() || t.isScalarValue()) && parser.getParsingContext().pathAsPointer().toString().contentEquals(pointer)) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException | RuntimeException e) {
            // past the value that failed the file does not parse: the line is unknown
        }
        return 0;
    }

    /** A key given twice: Jackson places it at the mapping it is in. */
    private static boolean duplicate(JacksonException e) {
        return String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field");
    }

    /** The line of the first key given a second time in its mapping. */
    private static int duplicateLine(byte[] yaml) {
        Set<String> seen = new HashSet<>();
        try (JsonParser parser = YAML.getFactory().createParser(yaml).disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())) {
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                if (t == JsonToken.FIELD_NAME && !seen.add(parser.getParsingContext().pathAsPointer().toString())) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException | RuntimeException e) {
            // past the key the file does not parse: the line is unknown
        }
        return 0;
    }

    private static String reason(JacksonException e) {
        if (duplicate(e)) {
            return e.getOriginalMessage().replace("Duplicate field", "a key given twice:");
        }
        String at = e instanceof JsonMappingException m ? where(path(m.getPath())) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            at = where(path(u.getPath().subList(0, u.getPath().size() - 1)));
            Collection<Object> known = u.getKnownPropertyIds();
            return "unknown key '" + u.getPropertyName() + "'" + (at.isEmpty() ? "" : " in " + at)
                    + (known == null ? "" : " (known: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return (at.isEmpty() ? "the file" : at) + " should be " + kind(m.getTargetType());
        }
        String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        return "not valid YAML: " + Printable.of(message, 200);
    }

    /** Jackson's path as keys (strings) and list indexes (integers). */
    private static List<Object> path(List<JsonMappingException.Reference> refs) {
        return refs.stream().<Object>map(r -> r.getFieldName() != null ? r.getFieldName() : Integer.valueOf(r.getIndex())).toList();
    }

    /** {@code branches.feature.stages[0].run}: where in the file a value sits. */
    private static String where(List<Object> path) {
        StringBuilder s = new StringBuilder();
        for (Object key : path) {
            s.append(key instanceof Integer i ? "[" + i + "]" : (s.isEmpty() ? "" : ".") + key);
        }
        return s.toString();
    }

    /** A value that parsed but breaks a rule: where it is and why. Checked once the whole file has parsed, so an unknown key is found first. */
    private static final class Invalid extends RuntimeException {
        private final List<Object> at;

        Invalid(List<Object> at, String why) {
            super(why);
            this.at = at;
        }
    }

    /** Runs the rules of the value at {@code at}: a rule broken is an {@link Invalid} there. */
    private static void within(List<Object> at, Runnable rules) {
        try {
            rules.run();
        } catch (UserError e) {
            throw new Invalid(at, e.getMessage());
        }
    }

    private static List<Object> with(List<Object> at, Object... more) {
        return java.util.stream.Stream.concat(at.stream(), java.util.Arrays.stream(more)).toList();
    }

    private static String kind(Class<?> type) {
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a single value (text)";
        }
        return "a mapping of keys";
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserError(message);
        }
    }

    private static void unique(List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        names.stream().filter(n -> !seen.add(n)).findFirst().ifPresent(n -> {
            throw new UserError("two " + what + " are named '" + n + "'");
        });
    }

    private static String checkName(String name, String what) {
        require(name != null && !name.isBlank(), "a " + what + " needs a name");
        require(name.matches(NAME_RULE), what + " name '" + Printable.of(name, 70) + "' should match " + NAME_RULE);
        return name;
    }

    /** A path in the source: relative, and inside it once normalised. */
    private static String sourcePath(String path) {
        require(!path.isBlank() && !path.startsWith("/") && !path.contains("\\") && path.indexOf('\0') < 0,
                "dockerfile '" + Printable.of(path, 100) + "' should be a relative path in the source");
        String normal = Path.of(path).normalize().toString();
        require(!normal.isEmpty() && !normal.equals("..") && !normal.startsWith("../"),
                "dockerfile '" + Printable.of(path, 100) + "' is outside the source");
        return normal;
    }

    record FileShape(@JsonProperty("default") Section defaults, @JsonProperty("branches") Map<String, Section> branches) {
        void check() {
            if (defaults != null) {
                defaults.check(List.of("default"));
            }
            if (branches != null) {
                branches.forEach((branch, section) -> {
                    if (section != null) {
                        section.check(List.of("branches", branch));
                    }
                });
            }
        }
    }

    record Section(@JsonProperty("dockerfile") String dockerfile, @JsonProperty("target") String target,
                   @JsonProperty("build_args") Map<String, String> buildArgs, @JsonProperty("stages") List<StageShape> stages,
                   @JsonProperty("artifacts") List<ArtifactShape> artifacts, @JsonProperty("tag") String tag) {
        void check(List<Object> at) {
            within(at, () -> {
                if (dockerfile != null) {
                    sourcePath(dockerfile);
                }
                require(target == null || target.matches("[A-Za-z][A-Za-z0-9_.-]{0,127}"),
                        "target '" + Printable.of(String.valueOf(target), 70) + "' is not a build stage name");
                if (buildArgs != null) {
                    buildArgs.keySet().forEach(k -> require(k.matches("[A-Za-z_][A-Za-z0-9_]{0,127}"),
                            "build arg '" + Printable.of(k, 70) + "' is not a name like NODE_ENV"));
                    buildArgs.replaceAll((k, v) -> v == null ? "" : v);
                }
                // the image's own tags are short commit shas: an extra tag must never take one of them
                require(tag == null || tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}") && !tag.matches("[0-9a-f]{7,40}"),
                        "tag '" + Printable.of(String.valueOf(tag), 70) + "' should be a Docker tag (letters, digits, _ . -), not a commit sha");
            });
            for (int i = 0; stages != null && i < stages.size(); i++) {
                StageShape stage = stages.get(i);
                within(with(at, "stages", i), () -> {
                    require(stage != null, "a stage is empty");
                    stage.check();
                });
            }
            for (int i = 0; artifacts != null && i < artifacts.size(); i++) {
                ArtifactShape artifact = artifacts.get(i);
                within(with(at, "artifacts", i), () -> {
                    require(artifact != null, "an artifact is empty");
                    artifact.check();
                });
            }
            within(at, () -> {
                unique(stages == null ? List.of() : stages.stream().map(StageShape::name).toList(), "stages");
                unique(artifacts == null ? List.of() : artifacts.stream().map(ArtifactShape::name).toList(), "artifacts");
            });
        }
    }

    record StageShape(@JsonProperty("name") String name, @JsonProperty("run") String run, @JsonProperty("timeout") String timeout) {
        void check() {
            checkName(name, "stage");
            require(run != null && !run.isBlank(), "stage '" + name + "' needs run: the command to run");
            if (timeout != null) {
                BuildSpec.Stage.parseTimeout(timeout);
            }
        }

        BuildSpec.Stage stage() {
            return new BuildSpec.Stage(name, run, timeout == null ? BuildSpec.Stage.DEFAULT_TIMEOUT : BuildSpec.Stage.parseTimeout(timeout));
        }
    }

    record ArtifactShape(@JsonProperty("name") String name, @JsonProperty("path") String path) {
        void check() {
            checkName(name, "artifact");
            require(path != null && path.startsWith("/") && !Path.of(path).normalize().toString().equals("/")
                            && List.of(path.split("/")).stream().noneMatch(".."::equals) && path.indexOf('\0') < 0,
                    "artifact '" + name + "' needs path: an absolute path in the image, like /app/report.txt");
        }

        BuildSpec.Artifact artifact() {
            return new BuildSpec.Artifact(name, path);
        }
    }
}
