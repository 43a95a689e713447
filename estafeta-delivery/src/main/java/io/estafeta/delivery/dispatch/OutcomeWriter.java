package io.estafeta.delivery.dispatch;

import io.estafeta.store.Completion;
import io.estafeta.store.DeliveryQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records finished attempts in batches: whatever finished while the previous batch was being
 * committed, and within a short gathering time after the first, goes into one transaction (group
 * commit), so a busy node pays one fsync for many attempts.
 */
final class OutcomeWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);
  private static final int MAX_BATCH = 500;

  /**
   * How long a batch waits for more outcomes after its first. The attempt has reached its receiver
   * already, so this delays only the record; without it, at a few thousand attempts a second each
   * commit took a handful, and those commits held the writer (on SQLite the only one) that
   * publishes wait for.
   */
  static final Duration GATHER = Duration.ofMillis(10);

  private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final DeliveryQueue queue;
  private final Duration gather;
  private final LongSupplier ticker;
  private final BooleanSupplier hurry;
  private final Consumer<List<Completion>> afterWrite;
  private final LinkedBlockingQueue<Completion> pending = new LinkedBlockingQueue<>();
  private volatile boolean running;
  private Thread thread;

  /**
   * @param ticker nanoseconds of a monotonic clock ({@code System::nanoTime}), for the gathering
   *     time
   * @param hurry whether to write what is there without gathering more: while the node waits for
   *     the in-flight room its outcomes give back, holding them would only slow it
   */
  OutcomeWriter(
      DeliveryQueue queue,
      Duration gather,
      LongSupplier ticker,
      BooleanSupplier hurry,
      Consumer<List<Completion>> afterWrite) {
    this.queue = queue;
    this.gather = gather;
    this.ticker = ticker;
    this.hurry = hurry;
    this.afterWrite = afterWrite;
  }

  synchronized void start() {
    running = true;
    thread = Thread.ofPlatform().name("estafeta-outcomes").daemon().start(this::loop);
  }

  void add(Completion c) {
    pending.add(c);
  }

  private void loop() {
    while (running || !pending.isEmpty()) {
      try {
        Completion first = pending.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<Completion> batch = new ArrayList<>();
        batch.add(first);
        long deadline = ticker.getAsLong() + gather.toNanos();
        while (true) {
          pending.drainTo(batch, MAX_BATCH - batch.size());
          long left = deadline - ticker.getAsLong();
          if (batch.size() >= MAX_BATCH || left <= 0 || !running || hurry.getAsBoolean()) {
            break;
          }
          // In short steps, so that closing does not wait out a long gathering time.
          Completion next = pending.poll(Math.min(left, STEP_NANOS), TimeUnit.NANOSECONDS);
          if (next != null) {
            batch.add(next);
          }
        }
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void write(List<Completion> batch) throws InterruptedException {
    while (true) {
      try {
        queue.complete(batch);
        afterWrite.accept(batch);
        return;
      } catch (RuntimeException e) {
        // Keep the outcomes: the attempts happened. If the process dies first, the leases expire
        // and the deliveries are sent again (at least once).
        LOG.warn("recording {} attempts failed, retrying: {}", batch.size(), e.getMessage());
        Thread.sleep(500);
      }
    }
  }

  /** Writes what is left and stops. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
