package io.octohost.e2e.archives;

import io.octohost.e2e.AppRepo;
import io.octohost.e2e.Await;
import io.octohost.e2e.Content;
import io.octohost.e2e.Json;
import io.octohost.e2e.Octohost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source archive scenarios with the default store: {@code DATA/archives/APP/vN.tar.gz}, private to octod's user. */
@Tag("docker")
class SourceArchivesInDataDirTest extends SourceArchiveScenarios {
    @RegisterExtension
    static final Octohost octohost = Octohost.builder().extraArgs("--keep-releases", KEEP_TWO).build();

    @Override
    Octohost octohost() {
        return octohost;
    }

    @Override
    String store() {
        return "dir";
    }

    @Test
    void anApiBuildFromAGitRepositoryKeepsTheTreeItBuilt() throws Exception {
        String app = appName("api");
        AppRepo repo = octohost.deployed(app, "pushed\n");
        // a commit that is never pushed, built over the HTTP API from the work tree's repository
        String page = Content.unique("built over the API");
        repo.staticSite(page);
        executable(repo, "bin/tool", "#!/bin/sh\necho tool\n");
        repo.write("data/blob.bin", binary(5));
        String sha = repo.commit("built over the API");
        String admin = octo("tokens:create", app + "-ops").orFail().trimmed();

        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + octohost.httpApiPort()
                        + "/v1/apps/" + app + "/builds")).header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"source\": {\"url\": \"git+file://" + repo.dir().resolve(".git") + "#master\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = Json.parse(accepted.body()).path("id").asText();
        String status = Await.until("the API build ends", Duration.ofMinutes(5),
                () -> Json.parse(new String(get("/v1/apps/" + app + "/builds/" + id, admin).body(), StandardCharsets.UTF_8)).path("status").asText(),
                st -> !st.equals("pending") && !st.equals("queued") && !st.equals("building"));
        assertEquals("succeeded", status);

        assertEquals(page, octohost.get(app).bodyText());
        assertEquals(Set.of(1, 2), stored(app));
        assertEquals(Tarballs.entries(repo.archive(sha)), Tarballs.entries(octoSource(app, "v2")));
    }

    /** The archive files, each checked to be octod's alone (0600 in a 0700 directory); no temporary file left behind. */
    @Override
    Set<Integer> stored(String app) {
        Path dir = octohost.dataDir().resolve("archives").resolve(app);
        Set<Integer> numbers = new TreeSet<>();
        if (!Files.exists(dir)) {
            return numbers;
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir::toString);
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.matches("v[0-9]+\\.tar\\.gz"), () -> "not an archive: " + f);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f::toString);
                numbers.add(Integer.parseInt(name.substring(1, name.indexOf('.'))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return numbers;
    }

    @Override
    byte[] storedBytes(String app, int release) {
        try {
            return Files.readAllBytes(octohost.dataDir().resolve("archives").resolve(app).resolve("v" + release + ".tar.gz"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
