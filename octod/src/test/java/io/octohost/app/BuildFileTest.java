package io.octohost.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BuildFileTest {
    private static final String FULL = """
            default:
              dockerfile: Dockerfile
              build_args:
                NODE_ENV: production
                LEVEL: 3
              stages:
                - name: test
                  run: make test
                  timeout: 90s
                - name: lint
                  run: make lint
              artifacts:
                - name: report
                  path: /app/report.txt
              tag: latest
            branches:
              feature/x:
                dockerfile: docker/Dockerfile.dev
                target: dev
                stages: []
            """;

    private static BuildSpec parse(String yaml, String branch) {
        return BuildFile.parse(yaml.getBytes(StandardCharsets.UTF_8), branch);
    }

    private static String error(String yaml) {
        return assertThrows(UserError.class, () -> parse(yaml, "master")).getMessage();
    }

    @Test
    void theDefaultSectionAppliesToABranchWithoutOne() {
        BuildSpec spec = parse(FULL, "master");
        assertEquals("Dockerfile", spec.dockerfile());
        assertEquals(Optional.empty(), spec.target());
        assertEquals(Map.of("NODE_ENV", "production", "LEVEL", "3"), spec.buildArgs());
        assertEquals(List.of(new BuildSpec.Stage("test", "make test", Duration.ofSeconds(90)),
                new BuildSpec.Stage("lint", "make lint", Duration.ofMinutes(10))), spec.stages());
        assertEquals(List.of(new BuildSpec.Artifact("report", "/app/report.txt")), spec.artifacts());
        assertEquals(Optional.of("latest"), spec.tag());
    }

    @Test
    void aBranchSectionOverridesTheDefaultKeyByKey() {
        BuildSpec spec = parse(FULL, "feature/x");
        assertEquals("docker/Dockerfile.dev", spec.dockerfile());
        assertEquals(Optional.of("dev"), spec.target());
        assertEquals(List.of(), spec.stages(), "an empty list overrides too");
        assertEquals(Map.of("NODE_ENV", "production", "LEVEL", "3"), spec.buildArgs(), "keys it does not set come from default");
        assertEquals(Optional.of("latest"), spec.tag());
    }

    @Test
    void anEmptyFileOrOneOfCommentsBuildsAsWithoutAFile() {
        assertEquals(BuildSpec.DEFAULT, parse("", "master"));
        assertEquals(BuildSpec.DEFAULT, parse("# nothing yet\n", "master"));
        assertEquals(BuildSpec.DEFAULT, parse("branches:\n  other:\n    tag: x\n", "master"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "90|PT1M30S", "90s|PT1M30S", "10m|PT10M", "2h|PT2H"})
    void timeoutsAreSecondsMinutesOrHours(String text, String expected) {
        assertEquals(Duration.parse(expected), BuildSpec.Stage.parseTimeout(text));
    }

    @Test
    void eachMalformedFileNamesTheLineAndTheReason() {
        assertEquals("octohost.yml line 3: unknown key 'dockerfil' in default (known: artifacts, build_args, dockerfile, stages, tag, target)",
                error("default:\n  tag: a\n  dockerfil: x\n"));
        assertEquals("octohost.yml line 3: default.stages should be a list", error("default:\n  stages:\n    name: x\n"));
        assertEquals("octohost.yml line 2: default.tag should be a single value (text)", error("default:\n  tag: [a, b]\n"));
        assertStartsWith("octohost.yml line 2: not valid YAML: mapping values are not allowed", error("default:\n  tag: a\n   - b: [\n"));
        assertEquals("octohost.yml line 1: the file should be a mapping of keys", error("- just\n- a list\n"));
        assertEquals("octohost.yml line 3: a key given twice: 'tag'", error("default:\n  tag: a\n  tag: b\n"));
    }

    @Test
    void anUnknownKeyIsNamedBeforeTheRulesOfItsValue() {
        // "rnu" for "run": the stage lacks run too, but the typo is what the user must see
        assertEquals("octohost.yml line 4: unknown key 'rnu' in default.stages[0] (known: name, run, timeout)",
                error("default:\n  stages:\n    - name: test\n      rnu: make test\n"));
    }

    @Test
    void stagesAndArtifactsNeedTheirKeys() {
        assertEquals("octohost.yml line 4: default.stages[1]: stage 'lint' needs run: the command to run",
                error("default:\n  stages:\n    - {name: test, run: make}\n    - name: lint\n      timeout: 5m\n"));
        assertEquals("octohost.yml line 3: default.stages[0]: a stage needs a name",
                error("default:\n  stages:\n    - run: make test\n"));
        assertEquals("octohost.yml line 3: default.stages[0]: timeout '5 minutes' is not a duration like 90s, 10m or 1h",
                error("default:\n  stages:\n    - {name: t, run: x, timeout: 5 minutes}\n"));
        assertEquals("octohost.yml line 3: default.artifacts[0]: artifact 'r' needs path: an absolute path in the image, like /app/report.txt",
                error("default:\n  artifacts:\n    - {name: r, path: ../x}\n"));
        assertEquals("octohost.yml line 2: default: two stages are named 't'",
                error("default:\n  stages: [{name: t, run: a}, {name: t, run: b}]\n  tag: x\n"));
        assertEquals("octohost.yml line 3: default.stages[0]: stage name 'Bad Name' should match [a-z0-9][a-z0-9_.-]{0,62}",
                error("default:\n  stages:\n    - {name: Bad Name, run: x}\n"));
    }

    @Test
    void pathsOutsideTheSourceAndBadTagsAreRefused() {
        assertEquals("octohost.yml line 5: branches.feature: dockerfile '../../etc/Dockerfile' is outside the source",
                error("default:\n  tag: a\nbranches:\n  feature:\n    dockerfile: ../../etc/Dockerfile\n"));
        assertEquals("octohost.yml line 2: default: dockerfile '/etc/Dockerfile' should be a relative path in the source",
                error("default:\n  dockerfile: /etc/Dockerfile\n"));
        assertEquals("octohost.yml line 2: default: tag 'abc1234' should be a Docker tag (letters, digits, _ . -), not a commit sha",
                error("default:\n  tag: abc1234\n"));
    }

    private static void assertStartsWith(String prefix, String actual) {
        if (!actual.startsWith(prefix)) {
            throw new AssertionError("expected a message starting with <" + prefix + "> but was <" + actual + ">");
        }
    }
}
