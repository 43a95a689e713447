package io.estafeta.delivery.housekeeping;

import io.estafeta.store.DeliveryStore;
import io.estafeta.store.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chores that keep a node healthy over months: purging what is older than the retention, in
 * small batches that never hold the database for long, and switching off webhooks that have done
 * nothing but fail for {@code disableAfter}. {@link #runOnce()} is the manual driver for tests.
 */
public final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  static final int BATCH = 500;

  private final DeliveryStore deliveries;
  private final WebhookStore webhooks;
  private final Clock clock;
  private final Duration retention;
  private final Duration disableAfter;
  private volatile Thread thread;

  public Housekeeping(
      DeliveryStore deliveries,
      WebhookStore webhooks,
      Clock clock,
      Duration retention,
      Duration disableAfter) {
    this.deliveries = deliveries;
    this.webhooks = webhooks;
    this.clock = clock;
    this.retention = retention;
    this.disableAfter = disableAfter;
  }

  /** What one round did. */
  public record Round(int deliveriesPurged, int eventsPurged, int webhooksDisabled) {}

  public Round runOnce() {
    Instant now = clock.instant();
    Instant cutoff = now.minus(retention);
    int purged = 0;
    int n;
    do {
      n = deliveries.purgeFinished(cutoff, BATCH);
      purged += n;
      pause();
    } while (n == BATCH);
    int events = 0;
    do {
      n = deliveries.purgeEvents(cutoff, BATCH);
      events += n;
      pause();
    } while (n == BATCH);
    var disabled = webhooks.disableFailing(now.minus(disableAfter), now);
    for (var d : disabled) {
      LOG.info(
          "disabled webhook={} account={}: every delivery failed for {}",
          d.id(),
          d.accountId(),
          disableAfter);
    }
    if (purged + events > 0) {
      LOG.info(
          "retention purged {} deliveries and {} events older than {}", purged, events, cutoff);
    }
    return new Round(purged, events, disabled.size());
  }

  /** Runs a round every {@code every} in the background. */
  public synchronized void start(Duration every) {
    thread =
        Thread.ofPlatform()
            .name("estafeta-housekeeping")
            .daemon()
            .start(() -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(every);
                  runOnce();
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  LOG.warn("housekeeping failed: {}", e.getMessage());
                }
              }
            });
  }

  /** A breath between batches, so claims and outcome writes get the writer in between. */
  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}
