package io.octohost.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17: how scripts/run makes its key known ({@code ensure_admin_key} of scripts/lib.sh, the
 * very function scripts/run calls), against a private octod that already knows the name: the key
 * whose file was removed since is replaced, the same key is left alone, and the new key pushes.
 */
@Tag("docker")
class SetUpKeyTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();

    private static final String NAME = "root-thishost";

    @Test
    void aLeftoverKeyUnderTheNameIsReplacedByFingerprintAndTheSameKeyIsLeftAlone() {
        SshKey before = octohost.newKey("before");
        Proc.Result added = ensureAdminKey(before);
        assertTrue(added.output().contains("adding " + before.publicKey() + " as key " + NAME + " (" + fingerprint(before) + ")"),
                added::describe);
        Proc.Result again = ensureAdminKey(before);
        assertTrue(again.output().contains("octod knows " + before.publicKey() + " already, as key " + NAME + " (admin)"),
                again::describe);
        assertEquals(List.of(fingerprint(before)), fingerprintsNamed(NAME));

        // the key file is gone (octod's data dir is not): a new key is made, under the same name
        SshKey after = octohost.newKey("after");
        Proc.Result replaced = ensureAdminKey(after);
        assertTrue(replaced.output().contains("replacing key " + NAME + " (" + fingerprint(before) + ", from an earlier set-up) with "
                + after.publicKey() + " (" + fingerprint(after) + ")"), replaced::describe);
        assertEquals(List.of(fingerprint(after)), fingerprintsNamed(NAME));
        assertTrue(ensureAdminKey(after).output().contains("already, as key " + NAME));

        // the new key pushes; the old one no longer does
        AppRepo app = octohost.app("setup").as(after);
        String page = Content.unique("set up");
        app.staticSite(page).deploy("master", page);
        AppRepo old = app.as(before);
        old.staticSite(Content.unique("old key")).commit("pushed with the replaced key");
        PushResult denied = old.push("master");
        assertNotEquals(0, denied.exitCode(), denied::describe);
        assertEquals(page, octohost.get("setup").bodyText());
    }

    /** What scripts/run prints as octod's host key is the key in octod's data dir. */
    @Test
    void theHostKeyFingerprintIsTheOneOctodKeeps() {
        Proc.Result shown = Proc.of("bash", "-c", ". \"$0\" && ssh_host_key_fingerprint \"$1\"",
                octohost.root().resolve("scripts/lib.sh").toString(), Integer.toString(octohost.sshPort())).run().orFail();
        String kept = Proc.of("ssh-keygen", "-l", "-E", "sha256", "-f", octohost.dataDir().resolve("ssh_host_ecdsa_key").toString())
                .run().orFail().trimmed().split(" ")[1];
        assertTrue(kept.startsWith("SHA256:"), kept);
        assertEquals(kept, shown.trimmed());
    }

    private static Proc.Result ensureAdminKey(SshKey key) {
        return Proc.of("bash", "-c", ". \"$0\" && ensure_admin_key \"$1\" \"$2\" \"$3\" -jar \"$4\" --api-socket \"$5\"",
                        octohost.root().resolve("scripts/lib.sh").toString(), key.publicKey().toString(), NAME, Octohost.java(),
                        octohost.octoJar().toString(), octohost.apiSocket().toString())
                .timeout(Duration.ofSeconds(60)).run().orFail();
    }

    private static String fingerprint(SshKey key) {
        return Proc.of("ssh-keygen", "-l", "-E", "sha256", "-f", key.publicKey().toString()).run().orFail().trimmed().split(" ")[1];
    }

    private static List<String> fingerprintsNamed(String name) {
        JsonNode keys = Json.parse(octohost.octo(null, "keys:list", "--json").orFail().output());
        return Json.elements(keys).stream().filter(k -> k.path("name").asText().equals(name))
                .map(k -> k.path("fingerprint").asText()).toList();
    }
}
