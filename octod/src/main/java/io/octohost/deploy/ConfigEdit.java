package io.octohost.deploy;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** A change of an app's own keys, applied to them as they are stored once the app's lock is held. */
@FunctionalInterface
public interface ConfigEdit {
    SortedMap<String, String> apply(SortedMap<String, String> own);

    ConfigEdit NONE = own -> own;

    /** Sets some keys and removes others. */
    static ConfigEdit of(Map<String, String> set, Set<String> unset) {
        return own -> {
            SortedMap<String, String> next = new TreeMap<>(own);
            next.keySet().removeAll(unset);
            next.putAll(set);
            return next;
        };
    }
}
