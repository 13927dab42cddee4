package io.octohost.auth;

import io.octohost.app.AppName;
import io.octohost.app.UserError;
import io.octohost.state.Role;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of the README's permission table, from both sides. */
class PermissionsTest {
    private static final AppName SHOP = AppName.of("shop");
    private static final AppName BLOG = AppName.of("blog");
    private static final Principal ADMIN_KEY = Principal.key("alice", Role.ADMIN, Set.of());
    private static final Principal ADMIN_TOKEN = new Principal("ops", Principal.Kind.TOKEN, Role.ADMIN, Set.of());
    private static final Principal DEPLOY_KEY = Principal.key("bob", Role.DEPLOY, Set.of());
    private static final Principal DEPLOY_TOKEN = new Principal("ci", Principal.Kind.TOKEN, Role.DEPLOY, Set.of());
    private static final Principal SHOP_TOKEN = new Principal("shop-ci", Principal.Kind.TOKEN, Role.DEPLOY, Set.of(SHOP));
    private static final Principal SHOP_KEY = Principal.key("shop-deployer", Role.DEPLOY, Set.of(SHOP));

    private static List<Action> everyAppAction(AppName app) {
        return List.of(Action.push(app), Action.build(app), Action.read(app));
    }

    @Test
    void adminsMayDoEverythingToEveryApp() {
        for (Principal admin : List.of(ADMIN_KEY, ADMIN_TOKEN, Principal.LOCAL)) {
            for (AppName app : List.of(SHOP, BLOG)) {
                everyAppAction(app).forEach(a -> assertTrue(Permissions.allows(admin, a), admin + " " + a));
            }
            assertTrue(Permissions.allows(admin, Action.ADMIN));
            assertTrue(Permissions.allows(admin, Action.LIST_APPS));
        }
    }

    @Test
    void deployKeysAndTokensMayPushBuildAndReadAnyAppButRunNoAdminCommand() {
        for (Principal deploy : List.of(DEPLOY_KEY, DEPLOY_TOKEN)) {
            for (AppName app : List.of(SHOP, BLOG)) {
                everyAppAction(app).forEach(a -> assertTrue(Permissions.allows(deploy, a), deploy + " " + a));
            }
            assertFalse(Permissions.allows(deploy, Action.ADMIN));
            Permissions.Forbidden denied = assertThrows(Permissions.Forbidden.class, () -> Permissions.require(deploy, Action.ADMIN));
            assertTrue(denied.getMessage().startsWith("permission denied: " + deploy.describe() + " may not run admin commands"),
                    denied.getMessage());
        }
    }

    @Test
    void onlyAdminsReadAReleasesSourceLikeAClone() {
        Action source = new Action(Action.Verb.READ_SOURCE, java.util.Optional.of(SHOP));
        for (Principal admin : List.of(ADMIN_KEY, ADMIN_TOKEN, Principal.LOCAL)) {
            assertDoesNotThrow(() -> Permissions.require(admin, source));
        }
        for (Principal deploy : List.of(DEPLOY_KEY, DEPLOY_TOKEN, SHOP_TOKEN, SHOP_KEY)) {
            Permissions.Forbidden denied = assertThrows(Permissions.Forbidden.class, () -> Permissions.require(deploy, source));
            assertTrue(denied.getMessage().startsWith("permission denied: " + deploy.describe() + " may not read the source of app 'shop'"),
                    denied.getMessage());
        }
    }

    @Test
    void aTokenLimitedToAppsTouchesThoseAndNoOther() {
        everyAppAction(SHOP).forEach(a -> assertDoesNotThrow(() -> Permissions.require(SHOP_TOKEN, a)));
        for (Action a : everyAppAction(BLOG)) {
            Permissions.Forbidden denied = assertThrows(Permissions.Forbidden.class, () -> Permissions.require(SHOP_TOKEN, a));
            assertTrue(denied.getMessage().contains("app 'blog'") && denied.getMessage().contains("limited to shop"), denied.getMessage());
        }
        assertFalse(Permissions.allows(SHOP_TOKEN, Action.ADMIN));
        assertTrue(Permissions.allows(SHOP_TOKEN, Action.LIST_APPS), "listing is allowed; the list is filtered per app");
    }

    @Test
    void aKeyLimitedToAppsFollowsTheSameRulesAsATokenLimitedToThem() {
        for (Action a : everyAppAction(SHOP)) {
            assertEquals(Permissions.allows(SHOP_TOKEN, a), Permissions.allows(SHOP_KEY, a), a.toString());
            assertDoesNotThrow(() -> Permissions.require(SHOP_KEY, a));
        }
        for (Action a : everyAppAction(BLOG)) {
            Permissions.Forbidden denied = assertThrows(Permissions.Forbidden.class, () -> Permissions.require(SHOP_KEY, a));
            assertTrue(denied.getMessage().startsWith("permission denied: key 'shop-deployer' may not"), denied.getMessage());
            assertTrue(denied.getMessage().endsWith("(deploy key: is limited to shop)"), denied.getMessage());
        }
    }

    @Test
    void onlyAdminsMayDestroyAnApp() {
        for (Principal admin : List.of(ADMIN_KEY, ADMIN_TOKEN, Principal.LOCAL)) {
            assertTrue(Permissions.allows(admin, Action.destroy(SHOP)), admin.toString());
        }
        for (Principal deploy : List.of(DEPLOY_KEY, DEPLOY_TOKEN, SHOP_KEY, SHOP_TOKEN)) {
            Permissions.Forbidden denied = assertThrows(Permissions.Forbidden.class, () -> Permissions.require(deploy, Action.destroy(SHOP)));
            assertTrue(denied.getMessage().startsWith("permission denied: " + deploy.describe() + " may not destroy app 'shop'"
                    + " (deploy "), denied.getMessage());
            assertTrue(denied.getMessage().endsWith(": may only push, build and read)"), denied.getMessage());
        }
    }

    @Test
    void adminsAreNeverLimitedToApps() {
        UserError e = assertThrows(UserError.class, () -> Role.ADMIN.checkLimit(Set.of(SHOP)));
        assertEquals("--app limits deploy keys and tokens only: an admin may touch every app", e.getMessage());
        assertDoesNotThrow(() -> Role.DEPLOY.checkLimit(Set.of(SHOP)));
        assertDoesNotThrow(() -> Role.ADMIN.checkLimit(Set.of()));
    }

    @Test
    void aPrincipalCoversTheAppsOfItsLimitOrAllWithoutOne() {
        assertTrue(DEPLOY_TOKEN.covers(BLOG));
        assertTrue(SHOP_TOKEN.covers(SHOP));
        assertFalse(SHOP_TOKEN.covers(BLOG));
    }

    @Test
    void onlyAdminsMayBuildFromARepositoryOnOctodsHost() {
        for (Principal admin : List.of(ADMIN_KEY, ADMIN_TOKEN, Principal.LOCAL)) {
            assertTrue(Permissions.allows(admin, Action.buildFromHost(SHOP)), admin::toString);
        }
        for (Principal deploy : List.of(DEPLOY_KEY, DEPLOY_TOKEN, SHOP_TOKEN)) {
            Permissions.Forbidden denied = assertThrows(Permissions.Forbidden.class, () -> Permissions.require(deploy, Action.buildFromHost(SHOP)));
            assertTrue(denied.getMessage().startsWith("permission denied: " + deploy.describe()
                    + " may not build from a repository on octod's host (git+file://) (deploy"), denied.getMessage());
        }
    }
}
