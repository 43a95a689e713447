package io.estafeta.delivery.dispatch;

import io.estafeta.store.Claimed;
import io.estafeta.store.DeliveryQueue;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One look at the queue, the same for the running loop and the manual driver: claims what is due
 * within the node's room and its accounts' caps, launches the attempts, and says what to wait for
 * before the next look. It never waits itself.
 */
final class ClaimTurn {
  /** What the next look waits for. */
  enum Wait {
    /** Nothing: there may be more due now. */
    NONE,
    /** In-flight room: every permit is taken. */
    ROOM,
    /** An account near its cap to get further from it. */
    NEAR_CAP,
    /** The next due delivery, a wake, or the poll interval. */
    DUE
  }

  /** What a turn claimed, and what to wait for (up to {@code atMost}) before the next. */
  record Result(int claimed, Wait waitFor, Duration atMost) {}

  private final DeliveryQueue queue;
  private final DispatcherSettings settings;
  private final Clock clock;
  private final Timer claimTimer;
  private final InFlight inFlight;
  private final AccountLoad load;
  private final NearCapPatience patience;
  private final HandOffDesk desk;
  private final RunAttempts attempts;

  ClaimTurn(
      DeliveryQueue queue,
      DispatcherSettings settings,
      Clock clock,
      Timer claimTimer,
      InFlight inFlight,
      AccountLoad load,
      NearCapPatience patience,
      HandOffDesk desk,
      RunAttempts attempts) {
    this.queue = queue;
    this.settings = settings;
    this.clock = clock;
    this.claimTimer = claimTimer;
    this.inFlight = inFlight;
    this.load = load;
    this.patience = patience;
    this.desk = desk;
    this.attempts = attempts;
  }

  Result take() throws InterruptedException {
    int free = inFlight.free();
    if (free == 0) {
      return new Result(0, Wait.ROOM, settings.pollInterval());
    }
    Optional<Duration> wait = patience.left();
    if (wait.isPresent()) {
      return new Result(0, Wait.NEAR_CAP, wait.get());
    }
    int wanted = Math.min(settings.batchSize(), free);
    Instant now = clock.instant();
    List<Claimed> claimed =
        claimTimer.record(
            () -> queue.claim(settings.owner(), now, now.plus(settings.lease()), wanted));
    for (Claimed c : claimed) {
      inFlight.hold(c);
      load.claimed(c.accountId());
    }
    boolean drained = claimed.size() < wanted;
    desk.caughtUp(drained);
    for (Claimed c : claimed) {
      inFlight.acquire();
      attempts.launch(c);
    }
    return drained
        ? new Result(claimed.size(), Wait.DUE, untilNextDue())
        : new Result(claimed.size(), Wait.NONE, Duration.ZERO);
  }

  /** Until the next due delivery, at most the poll interval; at least a millisecond. */
  private Duration untilNextDue() {
    Duration poll = settings.pollInterval();
    Optional<Instant> next = queue.nextDue();
    if (next.isEmpty()) {
      return poll;
    }
    Duration until = Duration.between(clock.instant(), next.get());
    if (until.isNegative() || until.isZero()) {
      return Duration.ofMillis(1);
    }
    return until.compareTo(poll) < 0 ? until : poll;
  }
}
