package io.octohost.deploy;

import io.octohost.app.AppName;
import io.octohost.app.NotFound;
import io.octohost.app.Release;
import io.octohost.app.SourceTree;
import io.octohost.source.SourceArchive;
import io.octohost.state.Releases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * The source each release was built from, as a {@code .tar.gz} of its commit's tree in the
 * {@link SourceArchive}. Only a build stores one; a release that built nothing (a rollback, a config
 * change, a restart) runs an earlier release's commit and shows that release's archive: the newest
 * release up to it with the same commit that has one. Archives follow the image retention: those the
 * last --keep-releases releases show stay, the others go.
 */
public final class ReleaseSources {
    private static final Logger log = LoggerFactory.getLogger(ReleaseSources.class);
    private final SourceArchive archive;
    private final Releases releases;
    private final int keepReleases;

    ReleaseSources(SourceArchive archive, Releases releases, int keepReleases) {
        this.archive = archive;
        this.releases = releases;
        this.keepReleases = keepReleases;
    }

    /** A release's source archive, open for reading. */
    public record Opened(Release release, InputStream tarGz) {
    }

    /** The source of release {@code number} of the app (the current one by default), or a NotFound saying why there is none. */
    public Opened open(AppName app, OptionalInt number) {
        List<Release> all = releases.list(app);
        Release release = (number.isPresent()
                ? all.stream().filter(r -> r.number() == number.getAsInt()).findFirst()
                : all.stream().reduce((a, b) -> b))
                .orElseThrow(() -> new NotFound(app + (number.isPresent() ? " has no release v" + number.getAsInt() : " has no release yet")));
        if (release.commit().isEmpty()) {
            throw new NotFound(app + " " + release.label() + " was deployed from an image: it has no source");
        }
        return owner(archive.releases(app), all, release).flatMap(n -> archive.open(app, n)).map(in -> new Opened(release, in))
                .orElseThrow(() -> new NotFound("the source of " + app + " " + release.label() + " is no longer kept (only the last "
                        + keepReleases + " releases keep theirs, --keep-releases)"));
    }

    /** Stores the tree a deploy built as its release's archive. */
    void store(AppName app, int release, SourceTree tree) {
        archive.put(app, release, out -> {
            GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
            tree.writeTar(gzip, java.util.Map.of());
            gzip.finish();
        });
    }

    /** Deletes a stored archive whose release was not recorded (the deploy failed after storing it). */
    void discardUnreleased(AppName app, int release) {
        if (releases.find(app, release).isEmpty()) {
            archive.delete(app, release);
        }
    }

    /** Deletes the archives no release of the last --keep-releases shows; a failure is logged (the release stands). */
    void retain(AppName app) {
        try {
            deleteUnshown(app);
        } catch (RuntimeException e) {
            log.warn("could not delete the old source archives of {}: {}", app, e.getMessage());
        }
    }

    private void deleteUnshown(AppName app) {
        List<Release> all = releases.list(app);
        Set<Integer> stored = archive.releases(app);
        Set<Integer> kept = new TreeSet<>();
        for (int i = Math.max(0, all.size() - keepReleases); i < all.size(); i++) {
            owner(stored, all, all.get(i)).ifPresent(kept::add);
        }
        int newest = all.isEmpty() ? 0 : all.get(all.size() - 1).number();
        // archives above the newest release belong to a deploy not recorded yet: not this call's to judge
        stored.stream().filter(n -> !kept.contains(n) && n <= newest).forEach(n -> archive.delete(app, n));
    }

    /** Deletes every archive of the app, whose records are gone; a failure is logged (a later destroy of the name retries). */
    void forget(AppName app) {
        try {
            archive.releases(app).forEach(n -> archive.delete(app, n));
        } catch (RuntimeException e) {
            log.warn("could not delete the source archives of {} in {}: {}", app, archive.describe(), e.getMessage());
        }
    }

    /** The number of the archive that holds a release's source: its own, or that of the newest earlier release of its commit that has one. */
    private static Optional<Integer> owner(Set<Integer> stored, List<Release> all, Release release) {
        return all.stream().filter(r -> r.number() <= release.number() && r.commit().isPresent() && r.commit().equals(release.commit()))
                .map(Release::number).filter(stored::contains).reduce((a, b) -> b);
    }
}
