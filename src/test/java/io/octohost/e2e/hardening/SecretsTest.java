package io.octohost.e2e.hardening;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Content;
import io.octohost.e2e.Octohost;
import io.octohost.e2e.Proc;
import io.octohost.e2e.PushResult;
import io.octohost.e2e.Secrets;
import io.octohost.e2e.cli.Cli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, secrets and acceptance 3: secrets planted every way they come in (config values over
 * the socket and SSH, with a newline, in refused commands and a refused import; API tokens used,
 * revoked and forged; credentials in a build request's URLs), then every command that touches them
 * run, and octod's log, the push and build output, every process's arguments ({@code ps}) and every
 * world-readable file octod and its nginx keep are searched: no secret is in any, and octod's log
 * holds no stack trace of these user errors.
 */
@Tag("docker")
class SecretsTest {
    @RegisterExtension
    static final Octohost octohost = Octohost.withDefaults();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> secrets = new ArrayList<>();
    private final List<String> shown = new ArrayList<>();

    private String secret(String what) {
        String s = Secrets.planted(what);
        secrets.add(s);
        return s;
    }

    private void pushed(PushResult push) {
        assertTrue(push.ok(), push::describe);
        shown.add(push.output());
    }

    private Cli.Run octo(String... args) {
        return Cli.octo(octohost, args);
    }

    private HttpResponse<String> api(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + octohost.httpApiPort() + path))
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (authorization != null) r.header("Authorization", authorization);
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        shown.add(response.body());
        return response;
    }

    @Test
    void noPlantedSecretReachesALogTheOutputPsOrAWorldReadableFile() throws Exception {
        AppRepo shop = octohost.deployed("shop", Content.unique("shop v1"));

        // config values, over the socket and over SSH, one with a newline
        String viaSocket = secret("socket");
        String viaSsh = secret("ssh");
        String multiline = secret("line1");
        octo("config:set", "shop", "API_TOKEN=" + viaSocket).orFail();
        Cli.ssh(octohost, octohost.adminKey(), "config:set shop DB_PASSWORD=" + viaSsh).orFail();
        octo("config:set", "shop", "PEM=" + multiline + "\n" + secret("line2")).orFail();
        // commands refused with a secret among their arguments, both ways in
        String refused = secret("refused");
        assertNotEquals(0, octo("config:set", "shop", "bad-key=" + refused).exit());
        assertNotEquals(0, octo("config:set", "nosuchapp", "K=" + refused).exit());
        assertNotEquals(0, Cli.ssh(octohost, octohost.adminKey(), "config:set shop 1BAD=" + refused).exit());
        assertNotEquals(0, octo("config:set", "shop", "MEMORY_LIMIT=" + refused).exit());
        // an import refused for a record that carries a secret
        String imported = secret("import");
        String export = octo("state:export").orFail().stdout();
        byte[] badImport = (export + "{\"key\":\"octohost/shop/1BAD\",\"value\":\""
                + Base64.getEncoder().encodeToString(imported.getBytes(StandardCharsets.UTF_8)) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        Cli.Run importRun = Cli.octo(octohost, badImport, "state:import");
        assertNotEquals(0, importRun.exit(), importRun::describe);
        shown.add(importRun.stdout() + importRun.stderr());

        // every command that reads or uses the config: restarts, a new release, a rollback
        octo("apps:restart", "shop").orFail();
        octo("apps:info", "shop").orFail();
        octo("releases", "shop").orFail();
        octo("config:get", "shop", "API_TOKEN").orFail();
        String page = Content.unique("shop v2");
        shop.staticSite(page).commit("v2");
        pushed(shop.push("master"));
        octo("rollback", "shop").orFail();
        octo("ps:scale", "shop", "2").orFail();
        octo("logs", "shop", "--tail", "50").orFail();
        String branchPage = Content.unique("shop preview");
        shop.staticSite(branchPage).commit("preview");
        pushed(shop.push("master:preview"));
        pushed(shop.deleteBranch("preview"));

        // API tokens: made, used by bearer and basic auth, revoked and used again, and a forged one
        String token = octo("tokens:create", "dash", "--role", "deploy", "--app", "shop").orFail().stdout().strip();
        secrets.add(token);
        assertEquals(200, api("GET", "/v1/apps/shop/releases", "Bearer " + token, null).statusCode());
        assertEquals(403, api("GET", "/v1/apps/other", "Bearer " + token, null).statusCode());
        String basic = Base64.getEncoder().encodeToString(("any:" + token).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, api("GET", "/v1/apps", "Basic " + basic, null).statusCode());
        String forged = "oct_" + secret("forged");
        assertEquals(401, api("GET", "/v1/apps", "Bearer " + forged, null).statusCode());
        octo("tokens:revoke", "dash").orFail();
        assertEquals(401, api("GET", "/v1/apps", "Bearer " + token, null).statusCode());
        // credentials in the URLs of a build request
        String sourcePass = secret("srcpass");
        String hookToken = secret("hooktoken");
        String admin = octo("tokens:create", "ops").orFail().stdout().strip();
        secrets.add(admin);
        api("POST", "/v1/shuttle/shop/build-1", "Bearer " + admin, "{\"source\": {\"url\": \"https://user:"
                + sourcePass + "@127.0.0.1:9/src.tar.gz\"}, \"webhooks\": {\"status\": \"https://" + hookToken + "@127.0.0.1:9/status\"}}");
        api("GET", "/v1/shuttle/shop/build-1/status", "Bearer " + admin, null);

        List<String> problems = new ArrayList<>();
        String log = Files.readString(octohost.octodLog(), StandardCharsets.UTF_8);
        String ps = Proc.of("ps", "-eww", "-o", "args").run().orFail().output();
        for (String s : secrets) {
            if (log.contains(s)) problems.add("octod's log holds " + s);
            if (ps.contains(s)) problems.add("ps shows " + s);
            for (String out : shown) {
                if (out.contains(s)) problems.add("output shown to a client holds " + s + ": " + out);
            }
        }
        for (Path dir : List.of(octohost.dataDir(), octohost.nginxConf().getParent())) {
            for (Path file : worldReadable(dir)) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                secrets.stream().filter(text::contains).forEach(s -> problems.add("world-readable " + file + " holds " + s));
            }
        }
        assertEquals(List.of(), problems);
        assertFalse(log.contains("\tat "), "a stack trace in octod's log for user errors:\n" + log);
        assertTrue(log.contains("refused GET /v1/apps"), "the refused tokens are logged, without the tokens:\n" + log);
    }

    /** The regular files under {@code dir} any user could read: readable by others, in directories others may enter. */
    private static List<Path> worldReadable(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                for (Path p = f; p != null && p.startsWith(dir); p = p.getParent()) {
                    try {
                        var perms = Files.getPosixFilePermissions(p);
                        if (!perms.contains(p.equals(f) ? PosixFilePermission.OTHERS_READ : PosixFilePermission.OTHERS_EXECUTE)) return false;
                    } catch (IOException e) {
                        return false;
                    }
                }
                return true;
            }).toList();
        }
    }
}
