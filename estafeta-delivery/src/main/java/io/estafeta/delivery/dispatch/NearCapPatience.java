package io.estafeta.delivery.dispatch;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How long claiming still waits for an account so busy that the next claim could take it past its
 * cap: up to the patience in all, counted from when some account reached that mark. Used by the
 * loop's thread only.
 */
final class NearCapPatience {
  private final AccountLoad load;
  private final long patienceNanos;
  private final LongSupplier ticker;
  private boolean nearCap;
  private long since;

  /**
   * @param ticker nanoseconds of a monotonic clock ({@code System::nanoTime})
   */
  NearCapPatience(AccountLoad load, Duration patience, LongSupplier ticker) {
    this.load = load;
    this.patienceNanos = patience.toNanos();
    this.ticker = ticker;
  }

  /**
   * How long to wait before claiming; empty to claim now (no account is near, or patience ran out).
   */
  Optional<Duration> left() {
    if (!load.anyAtMark()) {
      nearCap = false;
      return Optional.empty();
    }
    long now = ticker.getAsLong();
    if (!nearCap) {
      nearCap = true;
      since = now;
    }
    long left = patienceNanos - (now - since);
    return left <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(left));
  }
}
