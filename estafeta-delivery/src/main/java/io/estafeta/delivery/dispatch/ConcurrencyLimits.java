package io.estafeta.delivery.dispatch;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A cap on concurrent attempts per key: per destination host, so that one account's burst cannot
 * flood a receiver; per account, so that one account cannot take every attempt slot of the node
 * from the others.
 */
final class ConcurrencyLimits {
  private final int perKey;
  private final ConcurrentHashMap<String, Semaphore> keys = new ConcurrentHashMap<>();

  ConcurrencyLimits(int perKey) {
    this.perKey = perKey;
  }

  /** Waits up to {@code patience} for a slot of {@code key}; false if none came free. */
  boolean acquire(String key, Duration patience) throws InterruptedException {
    return semaphore(key).tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS);
  }

  void release(String key) {
    semaphore(key).release();
  }

  private Semaphore semaphore(String key) {
    // Keys (hosts) compare case-insensitively; one semaphore per key for the life of the node (a
    // handful of bytes each, bounded by the destinations and accounts there are).
    return keys.computeIfAbsent(key.toLowerCase(Locale.ROOT), h -> new Semaphore(perKey, true));
  }
}
