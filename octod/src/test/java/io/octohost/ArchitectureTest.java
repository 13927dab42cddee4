package io.octohost;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/architecture.md: no package cycles, and no package imports one of a
 * higher layer. Layers, top to bottom: the wiring (Octod, settings, the Docker client factory), the
 * edges (ssh, api, http), command, git, auth and builds, deploy, the stages (build, run, route, registry,
 * discovery, source, callbacks, github), state, app.
 */
class ArchitectureTest {
    private static JavaClasses octod;

    @BeforeAll
    static void importOctod() throws URISyntaxException {
        // octod's own compiled classes only: scanning the whole class path takes many seconds
        octod = new ClassFileImporter().importPath(Path.of(Octod.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.octohost.(*)..").should().beFreeOfCycles().check(octod);
    }

    @Test
    void layersOnlyLookDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("wiring").definedBy("io.octohost", "io.octohost.settings..", "io.octohost.docker..")
                .layer("edges").definedBy("io.octohost.ssh..", "io.octohost.api..", "io.octohost.http..")
                .layer("command").definedBy("io.octohost.command..")
                .layer("git").definedBy("io.octohost.git..")
                .layer("builds").definedBy("io.octohost.auth..", "io.octohost.builds..")
                .layer("deploy").definedBy("io.octohost.deploy..")
                .layer("stages").definedBy("io.octohost.build..", "io.octohost.run..", "io.octohost.route..",
                        "io.octohost.registry..", "io.octohost.discovery..", "io.octohost.source..", "io.octohost.callbacks..",
                        "io.octohost.github..")
                .layer("state").definedBy("io.octohost.state..")
                .layer("app").definedBy("io.octohost.app..")
                .whereLayer("wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("edges").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("command").mayOnlyBeAccessedByLayers("wiring", "edges")
                .whereLayer("git").mayOnlyBeAccessedByLayers("wiring", "edges", "command")
                .whereLayer("builds").mayOnlyBeAccessedByLayers("wiring", "edges", "command", "git")
                .whereLayer("deploy").mayOnlyBeAccessedByLayers("wiring", "edges", "command", "git", "builds")
                .whereLayer("stages").mayOnlyBeAccessedByLayers("wiring", "edges", "command", "git", "builds", "deploy")
                .whereLayer("state").mayOnlyBeAccessedByLayers("wiring", "edges", "command", "git", "builds", "deploy", "stages")
                .whereLayer("app").mayOnlyBeAccessedByLayers("wiring", "edges", "command", "git", "builds", "deploy", "stages", "state")
                .check(octod);
    }
}
