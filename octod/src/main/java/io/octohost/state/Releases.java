package io.octohost.state;

import io.octohost.app.AppName;
import io.octohost.app.Release;
import io.octohost.app.Commit;
import io.octohost.app.ConfigKeys;
import io.octohost.app.Printable;
import io.octohost.app.Procfile;
import io.octohost.app.UserError;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;

/** The releases of each app, under {@code octod/releases/<app>/v<N>}; the highest number is what runs. */
public final class Releases {
    static final String PREFIX = "octod/releases/";
    private static final String CONFIG = "config.";
    /** A Procfile type's command: {@code process.worker=...}. */
    private static final String PROCESS = "process.";
    private final StateStore store;

    public Releases(StateStore store) {
        this.store = store;
    }

    public List<Release> list(AppName app) {
        return store.list(PREFIX + app + "/").values().stream().map(Releases::decode)
                .sorted(Comparator.comparingInt(Release::number)).toList();
    }

    public Optional<Release> current(AppName app) {
        List<Release> all = list(app);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public Optional<Release> find(AppName app, int number) {
        return store.get(key(app, number)).map(Releases::decode);
    }

    public int next(AppName app) {
        return current(app).map(r -> r.number() + 1).orElse(1);
    }

    /** The write that records a release, for a transaction with the config it runs. */
    public StateStore.Change record(AppName app, Release release) {
        return new StateStore.Change.Put(key(app, release.number()), encode(release));
    }

    public StateStore.Change forget(AppName app) {
        return new StateStore.Change.DeletePrefix(PREFIX + app + "/");
    }

    private static String key(AppName app, int number) {
        // zero-padded so the store's key order is release order
        return PREFIX + app + "/v" + String.format("%08d", number);
    }

    private static byte[] encode(Release r) {
        Properties p = new Properties();
        p.setProperty("number", Integer.toString(r.number()));
        r.commit().ifPresent(c -> p.setProperty("commit", c.sha()));
        p.setProperty("image", r.imageId());
        r.published().ifPresent(ref -> p.setProperty("published", ref));
        r.port().ifPresent(port -> p.setProperty("port", Integer.toString(port)));
        p.setProperty("time", r.time().toString());
        p.setProperty("by", r.by());
        p.setProperty("description", r.description());
        r.config().forEach((k, v) -> p.setProperty(CONFIG + k, v));
        r.processes().forEach((type, command) -> p.setProperty(PROCESS + type, command));
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Fails, saying why, unless this is a release record a deploy would store: a whole record,
     * under the key of its number, with config keys that are keys.
     */
    static void checkRecord(String key, byte[] value) {
        String rest = key.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        AppName app = AppName.of(slash < 0 ? rest : rest.substring(0, slash));
        Release release = decode(value);
        if (!key.equals(key(app, release.number()))) {
            throw new UserError("release " + release.label() + " of " + app + " is kept under " + key(app, release.number()));
        }
        release.config().keySet().forEach(ConfigKeys::valid);
        release.processes().keySet().stream().filter(type -> !Procfile.isType(type)).findFirst().ifPresent(type -> {
            throw new UserError("release " + release.label() + " of " + app + " has an invalid process type '" + Printable.of(type, 80) + "'");
        });
    }

    private static Release decode(byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            TreeMap<String, String> config = new TreeMap<>();
            p.stringPropertyNames().stream().filter(n -> n.startsWith(CONFIG))
                    .forEach(n -> config.put(n.substring(CONFIG.length()), p.getProperty(n)));
            TreeMap<String, String> processes = new TreeMap<>();
            p.stringPropertyNames().stream().filter(n -> n.startsWith(PROCESS))
                    .forEach(n -> processes.put(n.substring(PROCESS.length()), p.getProperty(n)));
            String port = p.getProperty("port");
            int number = Integer.parseInt(required(p, "number"));
            OptionalInt portNumber = port == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port));
            if (number < 1 || portNumber.orElse(1) < 1 || portNumber.orElse(1) > 65535 || required(p, "image").isBlank()) {
                throw new IllegalArgumentException("a number, port or image out of range");
            }
            return new Release(number, Optional.ofNullable(p.getProperty("commit")).map(Commit::new), p.getProperty("image"),
                    Optional.ofNullable(p.getProperty("published")), portNumber, config,
                    Instant.parse(required(p, "time")), required(p, "by"), p.getProperty("description", ""), processes);
        } catch (IOException | RuntimeException e) {
            throw new UserError("unreadable release record (" + e.getClass().getSimpleName() + ": "
                    + Printable.of(String.valueOf(e.getMessage()), 120) + ")");
        }
    }

    private static String required(Properties p, String name) {
        String value = p.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name);
        }
        return value;
    }
}
