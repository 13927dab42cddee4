package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Proc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Git objects no git porcelain makes, written with the real git's plumbing, to push what a hostile client could. */
final class Trees {
    private Trees() {
    }

    /**
     * Commits, on top of HEAD, a tree holding the work tree's Dockerfile and one more entry named
     * {@code name} (e.g. {@code ..} or {@code .git}), and moves the current branch there; returns the commit.
     */
    static String commitWithEntry(AppRepo repo, String name) {
        String blob = git(repo, null, "hash-object", "-w", "Dockerfile");
        ByteArrayOutputStream tree = new ByteArrayOutputStream();
        entry(tree, "100644", "Dockerfile", blob);
        entry(tree, "100644", name, blob);
        String treeId = git(repo, tree.toByteArray(), "hash-object", "-t", "tree", "--literally", "-w", "--stdin");
        String commit = git(repo, null, "commit-tree", treeId, "-p", "HEAD", "-m", "a tree with an entry named " + name);
        git(repo, null, "update-ref", "HEAD", commit);
        return commit;
    }

    private static void entry(ByteArrayOutputStream tree, String mode, String name, String id) {
        tree.writeBytes((mode + " " + name + "\0").getBytes(StandardCharsets.UTF_8));
        tree.writeBytes(HexFormat.of().parseHex(id));
    }

    private static String git(AppRepo repo, byte[] stdin, String... args) {
        Proc p = Proc.of(java.util.stream.Stream.concat(java.util.stream.Stream.of("git"), java.util.Arrays.stream(args)).toList())
                .dir(repo.dir()).env("GIT_AUTHOR_NAME", "e2e").env("GIT_AUTHOR_EMAIL", "e2e@octohost.test")
                .env("GIT_COMMITTER_NAME", "e2e").env("GIT_COMMITTER_EMAIL", "e2e@octohost.test");
        if (stdin != null) {
            p.stdin(stdin);
        }
        return p.run().orFail().trimmed();
    }
}
