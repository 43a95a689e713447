package io.estafeta.delivery.dispatch;

import io.estafeta.store.DeliveryQueue;
import java.time.Clock;
import java.time.Duration;

/**
 * The heartbeat's step: extends the leases of every delivery the node holds to a full lease from
 * now, so that only a node that stopped beating has its work taken by others.
 */
final class ExtendLeases {
  private final DeliveryQueue queue;
  private final InFlight inFlight;
  private final Clock clock;
  private final String owner;
  private final Duration lease;

  ExtendLeases(DeliveryQueue queue, InFlight inFlight, Clock clock, DispatcherSettings settings) {
    this.queue = queue;
    this.inFlight = inFlight;
    this.clock = clock;
    this.owner = settings.owner();
    this.lease = settings.lease();
  }

  /** How often the heartbeat beats: four times a lease. */
  Duration every() {
    return Duration.ofMillis(Math.max(50, lease.toMillis() / 4));
  }

  /** Extends the leases held now; how many it extended. */
  int beat() {
    return queue.extendLeases(owner, inFlight.heldIds(), clock.instant().plus(lease));
  }
}
