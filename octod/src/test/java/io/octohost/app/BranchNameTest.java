package io.octohost.app;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Branch names as pushed (issue 12, finding 7): what git takes as a branch, and nothing git would read as another ref. */
class BranchNameTest {
    /**
     * Whether {@code git check-ref-format --branch NAME} takes the name (the real git, the one pushes
     * come from), outside any repo: in one, git would expand {@code @} and {@code @{-1}} to its branches.
     */
    private static boolean gitTakes(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "check-ref-format", "--branch", name).redirectErrorStream(true)
                .directory(java.nio.file.Files.createTempDirectory("no-repo").toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "git check-ref-format hung");
        return p.exitValue() == 0;
    }

    private static boolean weTake(String name) {
        try {
            BranchName.check(name);
            return true;
        } catch (UserError e) {
            return false;
        }
    }

    @Property(tries = 400)
    void weTakeWhatGitTakesButTheNamesGitReadsAsItsOwnRefs(@ForAll("names") String name) throws Exception {
        boolean ambiguous = name.matches("[A-Z_]*HEAD") || name.equals("@") || name.startsWith("refs/");
        assertEquals(gitTakes(name) && !ambiguous, weTake(name), name);
    }

    @Example
    void headAndItsKinAreRefused() {
        for (String name : new String[] {"HEAD", "FETCH_HEAD", "ORIG_HEAD", "refs/heads/x", "-x", "a..b", "x.lock", "a b", "@"}) {
            UserError e = assertThrows(UserError.class, () -> BranchName.check(name), name);
            assertTrue(e.getMessage().startsWith("branch '" + name + "' "), e.getMessage());
        }
        assertEquals("feature/login_2.0", BranchName.check("feature/login_2.0"));
        assertEquals("head", BranchName.check("head"));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> random = Arbitraries.strings().withChars("abHEADrfs/.-_@{}~^: *?[\\\t").ofMinLength(1).ofMaxLength(12);
        return Arbitraries.oneOf(random, Arbitraries.of("HEAD", "FETCH_HEAD", "refs/heads/main", "master", "a/b", "a//b",
                "a.lock", ".a", "a.", "@", "@{1}", "x/.y", "feature/login"));
    }
}
