package io.estafeta.store;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Values as read at most a short while ago, for reads on the hot path (a webhook per attempt, an
 * API key per request) where a database read each time would cost more than the work it serves. A
 * change made on this node forgets the value at once; one made on another node is seen within the
 * time to live.
 */
final class RecentCache<K, V> {
  // refreshing: one caller is reading the value again; meanwhile the others keep this one, so an
  // expiry sends one read to the database rather than one per concurrent caller.
  private record Entry<V>(long until, V value, AtomicBoolean refreshing) {}

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

  /**
   * The value read at most a time to live ago, else {@code read}'s, kept if {@code keep} says.
   * While one caller reads an expired value again, the others get the expired one: a value is then
   * at most a time to live and one read old.
   */
  V get(K key, Supplier<V> read, Predicate<V> keep) {
    long now = System.nanoTime();
    Entry<V> e = entries.get(key);
    if (e != null) {
      if (now - e.until() < 0 || !e.refreshing().compareAndSet(false, true)) {
        return e.value();
      }
    }
    V value;
    try {
      value = read.get();
    } catch (RuntimeException ex) {
      if (e != null) {
        // The next caller tries again.
        e.refreshing().set(false);
      }
      throw ex;
    }
    if (keep.test(value)) {
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
      entries.put(key, new Entry<>(System.nanoTime() + ttlNanos, value, new AtomicBoolean()));
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
