package io.estafeta.delivery.dispatch;

import io.estafeta.store.Claimed;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The node's room for attempts, and the deliveries it holds: claimed (or handed off) and not yet
 * recorded. A permit is given back only once its outcome is recorded, so what the node has claimed
 * and not recorded stays within its cap: a slow writer slows claiming rather than letting
 * unrecorded claims (and the leases to keep up) pile up.
 */
final class InFlight {
  private final int max;
  private final Semaphore permits;
  private final Waiter waiter;
  // By id with the claim's version: the leases the heartbeat keeps up. The version tells a
  // re-claim of the same delivery from the claim just recorded, so recording one never drops the
  // other's lease.
  private final Map<String, Integer> held = new ConcurrentHashMap<>();
  // The loop waits for room: a permit coming back must wake it.
  private volatile boolean starved;

  InFlight(int max, Waiter waiter) {
    this.max = max;
    this.permits = new Semaphore(max);
    this.waiter = waiter;
  }

  int free() {
    return permits.availablePermits();
  }

  int underWay() {
    return max - permits.availablePermits();
  }

  boolean tryReserve(int count) {
    return permits.tryAcquire(count);
  }

  void acquire() throws InterruptedException {
    permits.acquire();
  }

  /** Gives back room reserved and never used. */
  void giveBack(int count) {
    permits.release(count);
  }

  void hold(Claimed c) {
    held.put(c.id(), c.version());
  }

  Set<String> heldIds() {
    return held.keySet();
  }

  /** The claim is done with: recorded, or nothing to record. */
  void release(Claimed c) {
    held.remove(c.id(), c.version());
    permits.release();
    if (starved) {
      waiter.wake();
    }
  }

  /** Sleeps up to {@code max} while there is no room, woken when some comes back. */
  void awaitRoom(Duration max) throws InterruptedException {
    starved = true;
    try {
      // A permit released between the caller's look and the flag: its wake was skipped.
      if (permits.availablePermits() == 0) {
        waiter.await(max);
      }
    } finally {
      starved = false;
    }
  }

  /** Waits until every attempt under way has ended and been recorded; false if time ran out. */
  boolean awaitAllBack(Duration timeout) throws InterruptedException {
    if (!permits.tryAcquire(max, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    permits.release(max);
    return true;
  }
}
