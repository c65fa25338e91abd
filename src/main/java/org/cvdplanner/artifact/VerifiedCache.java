package org.cvdplanner.artifact;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The last few deserialised artifacts by id (least recently used evicted). Only immutable values
 * belong here, and the loader must verify what it deserialises (its SHA-256 against the stored
 * one): the cache only saves repeating that work. Thread-safe; two threads missing the same id
 * may both load it (the values are equal).
 */
public final class VerifiedCache<K, V> {

    private final Map<K, V> entries;

    public VerifiedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached value of {@code key}, or {@code loader}'s (then cached); the loader runs unlocked. */
    public V get(K key, Function<K, V> loader) {
        synchronized (entries) {
            V cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        V loaded = loader.apply(key);
        synchronized (entries) {
            entries.put(key, loaded);
        }
        return loaded;
    }
}
