package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.Commit;
import io.octohost.app.NotFound;
import io.octohost.app.Release;
import io.octohost.source.DirSourceArchive;
import io.octohost.source.SourceArchive;
import io.octohost.state.FileStateStore;
import io.octohost.state.Releases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which archive shows a release's source, and which archives retention keeps: a real embedded store and data-dir archive. */
class ReleaseSourcesTest {
    private static final AppName APP = AppName.of("hello");
    @TempDir
    Path dir;
    private FileStateStore store;
    private Releases releases;
    private SourceArchive archive;

    @BeforeEach
    void setUp() {
        store = new FileStateStore(dir.resolve("state"));
        releases = new Releases(store);
        archive = new DirSourceArchive(dir.resolve("archives"));
    }

    /** Records release {@code number} of {@code commit} (none: an image deploy); {@code built}: it stored an archive. */
    private void release(int number, Character commit, boolean built) {
        Optional<Commit> c = commit == null ? Optional.empty() : Optional.of(new Commit(String.valueOf(commit).repeat(40)));
        store.apply(List.of(releases.record(APP, new Release(number, c, "sha256:" + number, Optional.empty(), OptionalInt.of(80),
                Map.of(), Instant.now(), "test", "test"))));
        if (built) {
            archive.put(APP, number, out -> out.write(("source of v" + number).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String read(ReleaseSources sources, int number) throws IOException {
        try (InputStream in = sources.open(APP, OptionalInt.of(number)).tarGz()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aReleaseThatBuiltNothingShowsTheNewestEarlierArchiveOfItsCommit() throws IOException {
        ReleaseSources sources = new ReleaseSources(archive, releases, 5);
        release(1, 'a', true);
        release(2, 'b', true);
        release(3, 'a', false); // rollback to v1
        release(4, 'a', false); // config change
        release(5, null, false); // an image
        release(6, 'a', true); // the same commit built again (an API build): its own archive

        assertEquals("source of v1", read(sources, 1));
        assertEquals("source of v2", read(sources, 2));
        assertEquals("source of v1", read(sources, 3));
        assertEquals("source of v1", read(sources, 4));
        assertEquals("source of v6", read(sources, 6));
        assertEquals("hello v5 was deployed from an image: it has no source",
                assertThrows(NotFound.class, () -> sources.open(APP, OptionalInt.of(5))).getMessage());
        assertEquals("hello has no release v7", assertThrows(NotFound.class, () -> sources.open(APP, OptionalInt.of(7))).getMessage());
        try (InputStream current = sources.open(APP, OptionalInt.empty()).tarGz()) {
            assertEquals("source of v6", new String(current.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void retentionKeepsTheArchivesTheLastReleasesShowAndNothingRecordedYetIsTouched() {
        ReleaseSources sources = new ReleaseSources(archive, releases, 2);
        release(1, 'a', true);
        release(2, 'b', true);
        release(3, 'a', false); // rollback to v1: v1's archive is what v3 shows
        sources.retain(APP);
        assertEquals(Set.of(1, 2), archive.releases(APP));

        release(4, 'c', true);
        archive.put(APP, 5, out -> out.write(1)); // a deploy between its archive and its record
        sources.retain(APP);
        assertEquals(Set.of(1, 4, 5), archive.releases(APP));
        assertEquals("the source of hello v2 is no longer kept (only the last 2 releases keep theirs, --keep-releases)",
                assertThrows(NotFound.class, () -> sources.open(APP, OptionalInt.of(2))).getMessage());

        sources.discardUnreleased(APP, 5); // that deploy failed
        sources.discardUnreleased(APP, 4); // recorded: stays
        assertEquals(Set.of(1, 4), archive.releases(APP));

        sources.forget(APP);
        assertEquals(Set.of(), archive.releases(APP));
    }
}
