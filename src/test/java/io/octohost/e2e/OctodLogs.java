package io.octohost.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 12, acceptance 3, over the whole suite: every octod log the scenarios wrote since a stamp
 * holds no stack trace of a user error (an exception header naming {@code UserError} or a class of
 * octod.jar that extends it), no planted secret ({@link Secrets#PLANTED}) and no API token at all.
 * scripts/test runs it after {@code mvn verify}: {@code OctodLogs OCTOD_JAR STAMP DIR} prints one
 * line per hit, {@code file:line: what}, never a secret's value, and exits 1 if there is any.
 */
public final class OctodLogs {
    /** An API token as octod's auth/Tokens makes it: {@code oct_} and 32 bytes in unpadded base64url. */
    static final Pattern TOKEN = Pattern.compile("oct_[A-Za-z0-9_-]{43}");
    /** A planted secret; only its mark and label ({@code planted-secret-WHAT-}) are ever shown. */
    private static final Pattern PLANTED = Pattern.compile(Pattern.quote(Secrets.PLANTED) + "([A-Za-z0-9]+-)?");
    /** A stack frame: what follows an exception's header line. */
    private static final Pattern FRAME = Pattern.compile("^\\s+at \\S");
    /** The header of a cause or of a suppressed exception, which a frame may follow. */
    private static final Pattern NESTED_HEADER = Pattern.compile("^\\s*(Caused by|Suppressed): ");
    private static final Pattern OCTOHOST_CLASS = Pattern.compile("io\\.octohost(\\.[A-Za-z_$][\\w$]*)+");
    private final Set<String> userErrors;

    OctodLogs(Set<String> userErrors) {
        this.userErrors = Set.copyOf(userErrors);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: OctodLogs OCTOD_JAR STAMP DIR: the octod logs under DIR written since STAMP");
            System.exit(2);
        }
        Set<String> userErrors = userErrors(Path.of(args[0]));
        List<Path> logs = writtenSince(Path.of(args[2]), Files.getLastModifiedTime(Path.of(args[1])));
        OctodLogs check = new OctodLogs(userErrors);
        List<String> hits = new ArrayList<>();
        for (Path log : logs) hits.addAll(check.hits(log));
        hits.forEach(System.out::println);
        System.out.printf("octod logs: %d written by this run, %d user-error classes, %d hits%n", logs.size(), userErrors.size(), hits.size());
        System.exit(hits.isEmpty() ? 0 : 1);
    }

    /** The binary names of {@code io.octohost.app.UserError} and every class in octod's jar that extends it. */
    static Set<String> userErrors(Path octodJar) throws IOException {
        Set<String> found = new TreeSet<>();
        try (JarFile jar = new JarFile(octodJar.toFile());
             URLClassLoader loader = new URLClassLoader(new URL[]{octodJar.toUri().toURL()}, null)) {
            Class<?> userError = loader.loadClass("io.octohost.app.UserError");
            for (String name : jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("io/octohost/") && n.endsWith(".class") && !n.endsWith("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList()) {
                if (userError.isAssignableFrom(Class.forName(name, false, loader))) found.add(name);
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(octodJar + " has no io.octohost.app.UserError", e);
        }
        return found;
    }

    /** The files named {@code octod.log} under {@code dir} last written after {@code stamp}. */
    static List<Path> writtenSince(Path dir, FileTime stamp) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals("octod.log")).filter(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(stamp) > 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    /** One {@code file:line: what} for each hit in the log. */
    List<String> hits(Path log) throws IOException {
        // bytes as they are: a log line is never refused for its encoding
        List<String> lines = List.of(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).split("\r?\n", -1));
        List<String> hits = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = log + ":" + (i + 1) + ": ";
            boolean header = NESTED_HEADER.matcher(line).find()
                    || !FRAME.matcher(line).find() && i + 1 < lines.size() && FRAME.matcher(lines.get(i + 1)).find();
            if (header) {
                Set<String> named = new LinkedHashSet<>();
                Matcher m = OCTOHOST_CLASS.matcher(line);
                while (m.find()) if (userErrors.contains(m.group())) named.add(m.group());
                named.forEach(c -> hits.add(where + "a stack trace of the user error " + c));
            }
            Matcher planted = PLANTED.matcher(line);
            while (planted.find()) hits.add(where + "a planted secret " + planted.group() + "...");
            if (TOKEN.matcher(line).find()) hits.add(where + "an API token oct_...");
        }
        return hits;
    }
}
