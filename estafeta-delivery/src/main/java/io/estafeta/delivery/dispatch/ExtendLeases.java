package io.estafeta.delivery.dispatch;

import io.estafeta.store.DeliveryQueue;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat's step: extends the leases of every delivery the node holds to a full lease from
 * now, so that only a node that stopped beating has its work taken by others.
 */
final class ExtendLeases implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExtendLeases.class);

  private final DeliveryQueue queue;
  private final InFlight inFlight;
  private final Clock clock;
  private final String owner;
  private final Duration lease;
  private volatile boolean beating = true;
  private Thread thread;

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

  /** Beats every {@link #every()} on a thread of its own until closed. */
  synchronized void start() {
    thread = Thread.ofPlatform().name("estafeta-heartbeat").daemon().start(this::loop);
  }

  private void loop() {
    long every = every().toMillis();
    while (beating) {
      try {
        Thread.sleep(every);
        beat();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("extending leases failed: {}", e.getMessage());
      }
    }
  }

  @Override
  public synchronized void close() {
    beating = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
