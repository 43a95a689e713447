package io.estafeta.delivery.dispatch;

import io.estafeta.store.Claimed;
import io.estafeta.store.Lease;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where publishes hand their new deliveries straight to attempts: only while the node runs, has
 * room, and its last claim found nothing more due (so nothing waiting is overtaken).
 */
final class HandOffDesk implements HandOff {
  private final InFlight inFlight;
  private final AccountLoad load;
  private final RunAttempts attempts;
  private final Waiter waiter;
  private final Clock clock;
  private final String owner;
  private final Duration lease;
  private volatile boolean open;
  // The last claim took less than it could: nothing due is left in the queue for new deliveries
  // handed straight to attempts to overtake.
  private volatile boolean caughtUp;

  HandOffDesk(
      InFlight inFlight,
      AccountLoad load,
      RunAttempts attempts,
      Waiter waiter,
      Clock clock,
      DispatcherSettings settings) {
    this.inFlight = inFlight;
    this.load = load;
    this.attempts = attempts;
    this.waiter = waiter;
    this.clock = clock;
    this.owner = settings.owner();
    this.lease = settings.lease();
  }

  /** Whether the running loop takes hand-offs. */
  void open(boolean open) {
    this.open = open;
  }

  /** What the last claim found: whether the queue has nothing due left behind it. */
  void caughtUp(boolean caughtUp) {
    this.caughtUp = caughtUp;
  }

  @Override
  public Optional<Lease> reserve(String accountId, int count) {
    // Another account near its cap does not hold this one back: the claim's wait is for the
    // accounts it cannot choose between, and this account's own load is checked below.
    if (!open || !caughtUp) {
      return Optional.empty();
    }
    if (!inFlight.tryReserve(count)) {
      // These queue: later ones must not overtake them before the next claim has looked.
      caughtUp = false;
      return Optional.empty();
    }
    if (!load.tryAdd(accountId, count)) {
      inFlight.giveBack(count);
      caughtUp = false;
      return Optional.empty();
    }
    return Optional.of(new Lease(owner, clock.instant().plus(lease)));
  }

  @Override
  public void take(List<Claimed> claimed) {
    // Their room and their account's load were counted when it was reserved.
    claimed.forEach(inFlight::hold);
    claimed.forEach(attempts::launch);
  }

  @Override
  public void cancel(String accountId, int count) {
    if (count > 0) {
      load.ended(accountId, count);
      inFlight.giveBack(count);
      waiter.wake();
    }
  }

  @Override
  public void wake() {
    waiter.wake();
  }
}
