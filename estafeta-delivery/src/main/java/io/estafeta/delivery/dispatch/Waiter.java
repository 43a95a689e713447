package io.estafeta.delivery.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the dispatcher sleeps when nothing is due: until the next due time, or at once when a
 * publish or a finished attempt wakes it. A wake that comes while it is not sleeping is kept, so
 * none is lost between a claim and the wait that follows it.
 */
final class Waiter {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean pending;
  // When the loop, asleep, looks next; Instant.MAX while it is not asleep with a deadline it
  // knows (claiming, or about to sleep), so that no wake that could matter is skipped then.
  private volatile Instant nextLook = Instant.MAX;

  void wake() {
    lock.lock();
    try {
      pending = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the loop if it sleeps past {@code due}: something is due before it would look. */
  void wakeIfAsleepPast(Instant due) {
    if (due.isBefore(nextLook)) {
      wake();
    }
  }

  void await(Duration max) throws InterruptedException {
    lock.lock();
    try {
      long nanos = max.toNanos();
      while (!pending && nanos > 0) {
        nanos = woken.awaitNanos(nanos);
      }
      pending = false;
    } finally {
      lock.unlock();
    }
  }

  /** Sleeps up to {@code max}, known to look next at {@code look} meanwhile. */
  void awaitLook(Instant look, Duration max) throws InterruptedException {
    nextLook = look;
    try {
      await(max);
    } finally {
      nextLook = Instant.MAX;
    }
  }
}
