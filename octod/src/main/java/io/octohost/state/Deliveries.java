package io.octohost.state;

import io.octohost.app.UserError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The GitHub webhook deliveries ({@code X-GitHub-Delivery}) already acted on, so that a redelivery
 * builds nothing new: the newest {@link #KEEP}, one per line, in {@code octod/github-deliveries}.
 */
public final class Deliveries {
    public static final String KEY = "octod/github-deliveries";
    static final int KEEP = 1000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private final StateStore store;

    public Deliveries(StateStore store) {
        this.store = store;
    }

    /** Whether a delivery id is one GitHub sends: a GUID, or letters, digits and dashes. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public boolean seen(String id) {
        return read().contains(id);
    }

    /** Keeps the delivery as seen, forgetting the oldest past {@link #KEEP}. */
    public synchronized void remember(String id) {
        List<String> ids = new ArrayList<>(read());
        ids.add(id);
        List<String> kept = ids.subList(Math.max(0, ids.size() - KEEP), ids.size());
        store.put(KEY, String.join("\n", kept).getBytes(StandardCharsets.UTF_8));
    }

    private List<String> read() {
        return store.get(KEY).map(Deliveries::parse).orElse(List.of());
    }

    private static List<String> parse(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }

    /** Fails unless the record is delivery ids, one a line. */
    static void checkRecord(byte[] value) {
        if (!parse(value).stream().allMatch(Deliveries::valid)) {
            throw new UserError("the GitHub deliveries record is delivery ids, one a line");
        }
    }
}
