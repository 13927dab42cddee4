package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Secrets;
import io.octohost.e2e.SshKey;
import io.octohost.e2e.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, finding 2 and acceptance 4: the rules of the README's "Who may do what", each from both
 * sides, over real pushes. A deploy key limited with --app pushes its apps (and their branches) and
 * nothing else; deleting an app with {@code git push APP :master} is apps:destroy, for admins only;
 * deleting a branch app stays a push right; no key reads an app's config through a branch app unless
 * it may push that app.
 */
@Tag("docker")
class RolesTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    private static final String SECRET = Secrets.planted("blog");
    private static Refusals refusals;
    private static AppRepo shop;
    private static AppRepo blog;
    private static SshKey shopKey;
    private static SshKey deployKey;

    @BeforeAll
    static void appsAndKeys() {
        Reliability.start(RolesTest.class);
        shop = octohost.deployed("shop", Content.unique("shop v1"));
        blog = octohost.deployed("blog", Content.unique("blog v1"));
        Cli.octo(octohost, "config:set", "blog", "API_TOKEN=" + SECRET).orFail();
        shopKey = octohost.addKey("shop-ci", "deploy", "shop");
        deployKey = octohost.addKey("ops", "deploy");
        refusals = new Refusals(octohost, RolesTest.class, "shop", "blog");
    }

    @AfterAll
    static void report() {
        Reliability.writeReport();
    }

    @Test
    void aKeyLimitedToAnAppPushesThatAppAndItsBranches() {
        String page = Content.unique("shop v2 by shop-ci");
        shop.as(shopKey).staticSite(page).deploy("master", page);
        String preview = Content.unique("shop preview by shop-ci");
        AppRepo branch = shop.as(shopKey).staticSite(preview);
        branch.deploy("master:preview", preview);
        assertTrue(Cli.octo(octohost, "keys:list").orFail().stdout().lines().anyMatch(l -> l.matches("shop-ci +deploy +shop +SHA256:.*")),
                "keys:list shows the limit");
        assertTrue(branch.deleteBranch("preview").ok(), "a limited key deletes a branch app of its app");
        refusals.changed();
    }

    @Test
    void aKeyLimitedToAnAppCannotPushAnother() {
        AppRepo intruder = blog.as(shopKey);
        refusals.assertRefused("roles", "a key limited to shop pushes blog", "git push blog master",
                "permission denied: key 'shop-ci' may not push app 'blog' (deploy key: is limited to shop)",
                () -> Refusals.Attempt.of(intruder.push("master")));
    }

    @Test
    void aKeyLimitedToAnAppCannotReadAnothersConfigThroughABranchApp() {
        AppRepo leak = blog.as(shopKey);
        refusals.assertRefused("roles", "a key limited to shop pushes blog's master:leak (a branch app inheriting blog's config)",
                "git push blog master:leak", "permission denied: key 'shop-ci' may not push app 'blog'",
                () -> Refusals.Attempt.of(leak.push("master:leak")));
        assertTrue(octohost.containers("blog-leak").isEmpty(), "no branch app was made");
    }

    @Test
    void onlyAnAdminDeletesAnAppByDeletingItsMainBranch() {
        for (SshKey key : new SshKey[] {shopKey, deployKey}) {
            AppRepo deleter = shop.as(key);
            refusals.assertRefused("roles", "deploy key '" + key.name() + "' deletes app shop by pushing :master", "git push shop :master",
                    "permission denied: key '" + key.name() + "' may not destroy app 'shop' (deploy key: may only push, build and read)",
                    () -> Refusals.Attempt.of(deleter.deleteBranch("master")));
        }
        String page = Content.unique("doomed");
        AppRepo doomed = octohost.deployed("doomed", page);
        PushResult deleted = doomed.deleteBranch("master");
        assertTrue(deleted.ok(), deleted::describe);
        assertTrue(octohost.containers("doomed").isEmpty(), "the admin's delete removed the app's containers");
        assertFalse(octohost.routes().contains("doomed"), octohost.routes());
        assertNotEquals(page, octohost.get("doomed").bodyText(), "the deleted app is still served");
        refusals.changed();
    }

    @Test
    void aLimitedKeyRunsNoCommandNotEvenOnItsOwnApp() {
        refusals.assertRefused("roles", "a key limited to shop runs config shop", "ssh config shop",
                "permission denied: key 'shop-ci' may not run admin commands", () -> refusals.ssh(shopKey, "config shop"));
    }

    @Test
    void anAdminKeyCannotBeLimitedToApps() throws IOException {
        SshKey key = octohost.newKey("limited-admin");
        byte[] pub = Files.readAllBytes(key.publicKey());
        refusals.assertRefused("roles", "keys:add --role admin --app shop", "octo keys:add",
                "--app limits deploy keys and tokens only: an admin may touch every app",
                () -> refusals.octo(pub, "keys:add", "limited-admin", "--role", "admin", "--app", "shop"));
    }
}
