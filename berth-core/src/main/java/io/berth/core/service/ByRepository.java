package io.berth.core.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cache entries grouped by repository ID, so dropping one repository's entries (another node changed it) costs its
 * own entries rather than a scan of every entry. {@link #size} is approximate under concurrent change (it is only the
 * bound at which the cache clears itself).
 */
final class ByRepository<K, V> {
    private final ConcurrentHashMap<Long, ConcurrentHashMap<K, V>> maps = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    V get(long repositoryId, K key) {
        ConcurrentHashMap<K, V> m = maps.get(repositoryId);
        return m == null ? null : m.get(key);
    }

    void put(long repositoryId, K key, V value) {
        if (maps.computeIfAbsent(repositoryId, r -> new ConcurrentHashMap<>()).put(key, value) == null) {
            size.incrementAndGet();
        }
    }

    void remove(long repositoryId, K key) {
        ConcurrentHashMap<K, V> m = maps.get(repositoryId);
        if (m != null && m.remove(key) != null) {
            size.decrementAndGet();
        }
    }

    void removeRepository(long repositoryId) {
        ConcurrentHashMap<K, V> m = maps.remove(repositoryId);
        if (m != null) {
            size.addAndGet(-m.size());
        }
    }

    void clear() {
        maps.clear();
        size.set(0);
    }

    int size() {
        return size.get();
    }
}
