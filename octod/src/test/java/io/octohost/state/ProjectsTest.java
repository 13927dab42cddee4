package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.Conflict;
import io.octohost.app.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectsTest {
    @TempDir
    Path dir;

    private static Projects.Project project(String name, String repo, List<String> branches) {
        return new Projects.Project(name, repo, "https://github.com/" + repo + ".git", AppName.of("shop"), branches, "s3cret", null);
    }

    @Test
    void noGlobTracksTheDefaultBranchOnlyAndGlobsMatchWithinOrAcrossSegments() {
        Projects.Project defaults = project("shop", "acme/shop", List.of());
        assertTrue(defaults.tracks("main", "main"));
        assertFalse(defaults.tracks("feature", "main"));
        Projects.Project globs = project("shop", "acme/shop", List.of("main", "feature/*", "release/**"));
        assertTrue(globs.tracks("main", "trunk"));
        assertTrue(globs.tracks("feature/login", "main"));
        assertFalse(globs.tracks("feature/login/deep", "main"));
        assertTrue(globs.tracks("release/2026/12", "main"));
        assertFalse(globs.tracks("hotfix", "main"));
    }

    @Test
    void keepsProjectsInTheStoreFindsThemByRepoInAnyCaseAndRefusesDuplicates() {
        FileStateStore store = new FileStateStore(dir);
        Projects projects = new Projects(store);
        projects.add(project("shop", "acme/shop", List.of("main")));
        assertEquals("shop", new Projects(new FileStateStore(dir)).forRepo("ACME/Shop").orElseThrow().name(), "read back from disk");
        assertThrows(Conflict.class, () -> projects.add(project("shop", "acme/other", List.of())));
        assertThrows(Conflict.class, () -> projects.add(project("shop2", "acme/shop", List.of())));
        Map.Entry<String, byte[]> record = store.list(Projects.PREFIX).entrySet().iterator().next();
        new Records(null, Map.of()).check(record.getKey(), record.getValue(), Map.of());
        assertThrows(UserError.class, () -> Projects.checkRecord("octod/projects/other", record.getValue()), "a record under another name");
        projects.remove("shop");
        assertTrue(projects.list().isEmpty());
    }

    @Test
    void refusesWhatCannotBeAProjectInOneLine() {
        assertEquals("--repo: 'acme' is not OWNER/REPO",
                assertThrows(UserError.class, () -> project("shop", "acme", List.of())).getMessage());
        assertThrows(UserError.class, () -> new Projects.Project("shop", "acme/shop", "https://user:pw@github.com/acme/shop.git",
                AppName.of("shop"), List.of(), "s", null), "no credentials in the URL");
        assertThrows(UserError.class, () -> new Projects.Project("shop", "acme/shop", "ftp://github.com/acme/shop.git",
                AppName.of("shop"), List.of(), "s", null));
        assertThrows(UserError.class, () -> project("shop", "acme/shop", List.of("a..b")));
        assertThrows(UserError.class, () -> new Projects.Project("shop", "acme/shop", "file:///srv/shop", AppName.of("shop"),
                List.of(), "s", "two words"));
        assertThrows(UserError.class, () -> Projects.checkRecord("octod/projects/x", "{".getBytes(StandardCharsets.UTF_8)));
    }
}
