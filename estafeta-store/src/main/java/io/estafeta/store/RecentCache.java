package io.estafeta.store;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Values as read at most a short while ago, for reads on the hot path (a webhook per attempt, an
 * API key per request) where a database read each time would cost more than the work it serves. A
 * change made on this node forgets the value at once; one made on another node is seen within the
 * time to live.
 */
final class RecentCache<K, V> {
  private record Entry<V>(long until, V value) {}

  private final long ttlNanos;
  private final int maxEntries;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  /**
   * @param maxEntries past this many the cache starts over: a bound, not an eviction policy
   */
  RecentCache(Duration ttl, int maxEntries) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
  }

  /** The value read at most a time to live ago, else {@code read}'s, kept if {@code keep} says. */
  V get(K key, Supplier<V> read, Predicate<V> keep) {
    long now = System.nanoTime();
    Entry<V> e = entries.get(key);
    if (e != null && now - e.until() < 0) {
      return e.value();
    }
    V value = read.get();
    if (keep.test(value)) {
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
      entries.put(key, new Entry<>(now + ttlNanos, value));
    } else {
      entries.remove(key);
    }
    return value;
  }

  V get(K key, Supplier<V> read) {
    return get(key, read, v -> true);
  }

  void forget(K key) {
    entries.remove(key);
  }

  void forgetAll() {
    entries.clear();
  }
}
