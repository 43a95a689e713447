package io.estafeta.delivery.dispatch;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A cap on concurrent requests per destination host, so that one account's burst cannot flood a
 * receiver, nor take every attempt slot of the node from the other destinations.
 */
final class HostLimits {
  private final int perHost;
  private final ConcurrentHashMap<String, Semaphore> hosts = new ConcurrentHashMap<>();

  HostLimits(int perHost) {
    this.perHost = perHost;
  }

  /** Waits up to {@code patience} for a slot to {@code host}; false if none came free. */
  boolean acquire(String host, Duration patience) throws InterruptedException {
    return semaphore(host).tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS);
  }

  void release(String host) {
    semaphore(host).release();
  }

  private Semaphore semaphore(String host) {
    // Hosts compare case-insensitively; one semaphore per host for the life of the node (a
    // handful of bytes each, bounded by the destinations the accounts configured).
    return hosts.computeIfAbsent(host.toLowerCase(Locale.ROOT), h -> new Semaphore(perHost, true));
  }
}
