package io.octohost.e2e.login;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.Secrets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, acceptance 1 and 2: users log in with octo login, then a plain git push over HTTP deploys
 * with the stored credential; octo runs over HTTP as the user; wrong passwords are refused, logged
 * without the password and rate-limited; a revoked token is refused for git and octo; a deploy user
 * limited to one app cannot push another, nor clone; an admin can clone.
 */
@Tag("docker")
class HttpPushTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    @TempDir
    Path tmp;

    private String addUser(String email, String password, String... options) throws Exception {
        Path file = tmp.resolve("pw-" + email);
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        String[] args = new String[options.length + 2];
        args[0] = "users:add";
        args[1] = email;
        System.arraycopy(options, 0, args, 2, options.length);
        Proc.Result r = octohost.octo(file, args);
        assertEquals(0, r.exitCode(), r::describe);
        return password;
    }

    @Test
    void aUserLogsInThenAPlainGitPushOverHttpDeploysAndOctoRunsOverHttp() throws Exception {
        String password = addUser("alice@example.com", Secrets.planted("alicepw"), "--role", "admin");
        LoginHome alice = new LoginHome(octohost, tmp.resolve("alice"));

        // a wrong password is refused, and octod logs the attempt without it
        String wrong = Secrets.planted("wrongpw");
        Proc.Result refused = alice.login("alice@example.com", wrong);
        assertEquals(1, refused.exitCode(), refused::describe);
        assertTrue(refused.output().contains("login refused: wrong email or password"), refused::describe);
        String log = Files.readString(octohost.octodLog());
        assertTrue(log.contains("failed login of alice@example.com from 127.0.0.1"), octohost.octodLogTail(20));
        assertFalse(log.contains(wrong) || log.contains(password), "a password in octod's log");
        assertFalse(Files.exists(alice.credentials()));

        // octo login: the credentials file (0600) and git's credential helper for this URL
        Proc.Result login = alice.login("alice@example.com", password);
        assertEquals(0, login.exitCode(), login::describe);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(alice.credentials())));
        Proc.Result helper = alice.git(tmp, "config", "--global", "--get", "credential." + alice.apiUrl() + ".helper");
        assertTrue(helper.output().contains("git-credential"), helper::describe);

        // a plain git push over HTTP deploys, with the same remote: lines as over SSH, and the app is served
        AppRepo site = octohost.app("webpush");
        String page = Content.unique("pushed over http");
        String sha = site.staticSite(page).commit("v1");
        Proc.Result push = alice.push(site, "webpush");
        assertEquals(0, push.exitCode(), push::describe);
        assertTrue(push.output().contains("remote: -----> Building webpush (" + sha.substring(0, 7) + ")"), push::describe);
        assertEquals(page, octohost.get("webpush").bodyText());
        assertFalse(push.output().contains("Username") || push.output().contains("Password"), push::describe);

        // octo on alice's machine runs at octod over HTTP, as alice
        Proc.Result apps = alice.octo(null, "apps:list", "-q");
        assertEquals(0, apps.exitCode(), apps::describe);
        assertTrue(apps.output().lines().anyMatch("webpush"::equals), apps::describe);
        Proc.Result users = alice.octo(null, "users:list", "--json");
        assertTrue(users.exitCode() == 0 && users.output().contains("\"email\":\"alice@example.com\"")
                && !users.output().contains("$2"), users::describe);

        // a failing push over HTTP is rejected like over SSH, and the old version keeps serving
        site.dockerfile("FROM octohost/busybox:latest", "RUN exit 3").commit("broken");
        Proc.Result broken = alice.push(site, "webpush");
        assertNotEquals(0, broken.exitCode(), broken::describe);
        assertTrue(broken.output().contains("[remote rejected] master -> master"), broken::describe);
        assertEquals(page, octohost.get("webpush").bodyText());

        // an admin clones over HTTP
        Proc.Result clone = alice.git(tmp, "clone", "-q", alice.gitUrl("webpush"), tmp.resolve("clone").toString());
        assertEquals(0, clone.exitCode(), clone::describe);
        assertEquals(sha, alice.git(tmp.resolve("clone"), "rev-parse", "HEAD").output().strip());

        // logout revokes the token: kept aside, it is refused for git push and for octo
        Path kept = tmp.resolve("kept-credentials");
        Files.copy(alice.credentials(), kept);
        Proc.Result logout = alice.octo(null, "logout");
        assertEquals(0, logout.exitCode(), logout::describe);
        assertFalse(Files.exists(alice.credentials()));
        Files.copy(kept, alice.credentials(), StandardCopyOption.REPLACE_EXISTING);
        alice.git(tmp, "config", "--global", "credential." + alice.apiUrl() + ".helper", helper.output().strip());
        site.staticSite(Content.unique("after logout")).commit("v3");
        Proc.Result revokedPush = alice.push(site, "webpush");
        assertNotEquals(0, revokedPush.exitCode(), revokedPush::describe);
        assertTrue(revokedPush.output().contains("401") || revokedPush.output().contains("Authentication failed"), revokedPush::describe);
        Proc.Result revokedOcto = alice.octo(null, "apps:list");
        assertEquals(1, revokedOcto.exitCode(), revokedOcto::describe);
        assertTrue(revokedOcto.output().contains("the login is no longer valid"), revokedOcto::describe);
        assertEquals(page, octohost.get("webpush").bodyText());
    }

    @Test
    void aDeployUserPushesItsAppOnlyCannotCloneNorRunOctoAndFailedLoginsAreLimited() throws Exception {
        octohost.deployed("mine", Content.unique("mine v1"));
        octohost.deployed("theirs", Content.unique("theirs v1"));
        String password = addUser("dev@example.com", Secrets.planted("devpw"), "--role", "deploy", "--app", "mine");
        LoginHome dev = new LoginHome(octohost, tmp.resolve("dev"));
        assertEquals(0, dev.login("dev@example.com", password).exitCode());

        // its own app: pushed and served
        AppRepo mine = octohost.app("mine-work");
        String page = Content.unique("mine v2");
        mine.staticSite(page).commit("v2");
        Proc.Result ok = dev.push(mine, "mine", "--force");
        assertEquals(0, ok.exitCode(), ok::describe);
        assertEquals(page, octohost.get("mine").bodyText());

        // another app: 403, nothing deployed
        String theirs = octohost.get("theirs").bodyText();
        Proc.Result denied = dev.push(mine, "theirs", "--force");
        assertNotEquals(0, denied.exitCode(), denied::describe);
        assertTrue(denied.output().contains("403"), denied::describe);
        assertEquals(theirs, octohost.get("theirs").bodyText());

        // no clone, no octo commands for a deploy user
        Proc.Result clone = dev.git(tmp, "clone", "-q", dev.gitUrl("mine"), tmp.resolve("clone").toString());
        assertNotEquals(0, clone.exitCode(), clone::describe);
        assertTrue(clone.output().contains("403"), clone::describe);
        Proc.Result octo = dev.octo(null, "apps:list");
        assertEquals(1, octo.exitCode(), octo::describe);
        assertTrue(octo.output().contains("permission denied: user 'dev@example.com'"), octo::describe);

        // at a terminal, users:add asks for the password twice, without echo (script gives octo a terminal)
        String carolPassword = Secrets.planted("carolpw");
        String addCarol = String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                octohost.octoJar().toString(), "--api-socket", octohost.apiSocket().toString(), "users:add", "carol@example.com");
        Proc.Result prompted = Proc.of("script", "-qec", addCarol, "/dev/null")
                .stdin((carolPassword + "\n" + carolPassword + "\n").getBytes(StandardCharsets.UTF_8)).timeout(java.time.Duration.ofSeconds(60)).run();
        assertTrue(prompted.output().contains("Password: ") && prompted.output().contains("Again: ")
                && prompted.output().contains("added user carol@example.com (deploy)"), prompted::describe);
        assertEquals(0, new LoginHome(octohost, tmp.resolve("carol")).login("carol@example.com", carolPassword).exitCode());

        // five wrong passwords, then even the right one waits: 429 with Retry-After
        LoginHome guesser = new LoginHome(octohost, tmp.resolve("guesser"));
        for (int i = 0; i < 5; i++) {
            assertEquals(1, guesser.login("dev@example.com", Secrets.planted("guess")).exitCode());
        }
        Proc.Result limited = guesser.login("dev@example.com", password);
        assertEquals(1, limited.exitCode(), limited::describe);
        assertTrue(limited.output().contains("too many failed logins") && limited.output().contains("retry after"), limited::describe);
        assertTrue(Files.readString(octohost.octodLog()).contains("login of dev@example.com from 127.0.0.1 refused: too many failed logins"));
    }
}
