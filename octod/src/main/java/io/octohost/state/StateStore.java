package io.octohost.state;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A small key-value store, octohost-compatible: app config under {@code octohost/<app>/<KEY>},
 * octod's own records under {@code octod/}. Values are bytes, kept exactly.
 */
public interface StateStore {
    Optional<byte[]> get(String key);

    /** Every key that starts with {@code prefix}, with its value, in key order. */
    SortedMap<String, byte[]> list(String prefix);

    /** Applies every change or none of them. */
    void apply(List<Change> changes);

    default void put(String key, byte[] value) {
        apply(List.of(new Change.Put(key, value)));
    }

    default void delete(String key) {
        apply(List.of(new Change.Delete(key)));
    }

    /** One write of a transaction. */
    sealed interface Change {
        record Put(String key, byte[] value) implements Change {
        }

        record Delete(String key) implements Change {
        }

        /** Deletes every key starting with the prefix. */
        record DeletePrefix(String prefix) implements Change {
        }
    }
}
