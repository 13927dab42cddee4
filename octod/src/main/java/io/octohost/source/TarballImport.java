package io.octohost.source;

import io.octohost.app.AppName;
import io.octohost.app.BuildControl;
import io.octohost.app.Credentials;
import io.octohost.app.Progress;
import io.octohost.app.UserError;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.GZIPInputStream;

/**
 * Downloads a tarball (tar or tar.gz; user info of the URL sent as basic auth, redirects followed
 * only without it) and imports its regular files, executables and symlinks as one commit. When every
 * entry sits in one top directory (GitHub's archives), the tree is that directory.
 */
final class TarballImport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final PersonIdent OCTOD = new PersonIdent("octod", "octod@localhost");
    private final HttpClient plain = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final HttpClient withCredentials = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A file of the tarball: its mode and its blob. */
    private record Blob(FileMode mode, ObjectId id) {
    }

    ObjectId importInto(Repository repo, AppName app, Source.Tarball source, Progress progress, BuildControl control) {
        HttpRequest.Builder request = HttpRequest.newBuilder(source.url()).GET();
        source.credentials().ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
        HttpClient client = source.credentials().isPresent() ? withCredentials : plain;
        CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try (BuildControl.Registration stop = control.onStop(() -> pending.cancel(true))) {
            response = pending.get();
        } catch (CancellationException | InterruptedException | ExecutionException e) {
            control.check(); // a stopped build cancels its request
            Throwable why = e instanceof ExecutionException ? e.getCause() : e;
            throw new UserError("cannot download " + source.describe() + ": " + Credentials.redact(String.valueOf(why)));
        }
        try (InputStream body = response.body(); BuildControl.Registration stop = control.closeOnStop(body)) {
            if (response.statusCode() != 200) {
                throw new UserError("downloading " + source.describe() + " answered HTTP " + response.statusCode());
            }
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                TreeMap<String, Blob> files = read(body, inserter);
                ObjectId commit = commit(inserter, files, app, source);
                inserter.flush();
                progress.line("imported " + files.size() + " files from " + source.describe());
                return commit;
            }
        } catch (IOException e) {
            control.check();
            throw new UserError("cannot read " + source.describe() + " as a tar or tar.gz archive: " + e.getMessage());
        }
    }

    private static TreeMap<String, Blob> read(InputStream body, ObjectInserter inserter) throws IOException {
        InputStream in = new BufferedInputStream(body);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        TreeMap<String, Blob> files = new TreeMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8.name());
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String path = path(e.getName());
            if (path.isEmpty() || e.isDirectory()) {
                continue;
            }
            if (e.isSymbolicLink()) {
                files.put(path, new Blob(FileMode.SYMLINK, inserter.insert(Constants.OBJ_BLOB,
                        e.getLinkName().getBytes(StandardCharsets.UTF_8))));
            } else if (e.isLink()) {
                Blob target = files.get(path(e.getLinkName()));
                if (target != null) {
                    files.put(path, target);
                }
            } else if (e.isFile()) {
                FileMode mode = (e.getMode() & 0100) != 0 ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
                files.put(path, new Blob(mode, inserter.insert(Constants.OBJ_BLOB, e.getSize(), tar)));
            }
        }
        if (files.isEmpty()) {
            throw new IOException("it holds no files");
        }
        return stripTopDirectory(files);
    }

    /** A relative path without {@code ./}; refuses paths that climb out. */
    private static String path(String name) throws IOException {
        String p = name.replaceFirst("^(\\./|/)+", "").replaceFirst("/+$", "");
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                throw new IOException("the entry '" + name + "' climbs out of the archive");
            }
        }
        return p.equals(".") ? "" : p;
    }

    private static TreeMap<String, Blob> stripTopDirectory(TreeMap<String, Blob> files) {
        String first = files.firstKey();
        int slash = first.indexOf('/');
        if (slash < 0) {
            return files;
        }
        String top = first.substring(0, slash + 1);
        if (!files.keySet().stream().allMatch(p -> p.startsWith(top))) {
            return files;
        }
        TreeMap<String, Blob> inner = new TreeMap<>();
        files.forEach((p, b) -> inner.put(p.substring(top.length()), b));
        return inner;
    }

    private static ObjectId commit(ObjectInserter inserter, TreeMap<String, Blob> files, AppName app, Source.Tarball source)
            throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        for (Map.Entry<String, Blob> f : files.entrySet()) {
            String under = files.ceilingKey(f.getKey() + "/");
            if (under != null && under.startsWith(f.getKey() + "/")) {
                throw new IOException("'" + f.getKey() + "' is both a file and a directory");
            }
            DirCacheEntry entry;
            try {
                entry = new DirCacheEntry(f.getKey());
            } catch (IllegalArgumentException e) {
                throw new IOException("git cannot hold the path '" + f.getKey() + "'");
            }
            entry.setFileMode(f.getValue().mode());
            entry.setObjectId(f.getValue().id());
            builder.add(entry);
        }
        builder.finish();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(index.writeTree(inserter));
        PersonIdent now = new PersonIdent(OCTOD, java.time.Instant.now());
        commit.setAuthor(now);
        commit.setCommitter(now);
        commit.setMessage("The source of " + app + " from " + source.describe() + "\n");
        return inserter.insert(commit);
    }
}
