package io.estafeta.delivery.dispatch;

import io.estafeta.core.delivery.RetryPolicy;
import io.estafeta.delivery.metrics.EngineMetrics;
import io.estafeta.store.Completion;
import io.estafeta.store.DeliveryQueue;
import io.estafeta.store.RequestCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop, composed of its steps: {@link ClaimTurn} claims what is due, {@link
 * RunAttempts} attempts each on a virtual thread outside any transaction, {@link OutcomeWriter}
 * records outcomes in batches, {@link ExtendLeases} keeps the leases up, and {@link HandOffDesk}
 * takes new deliveries straight from publishing. {@link #start()} runs the loop; {@link #manual()}
 * drives the same steps by hand, for tests that move the clock instead of sleeping.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final DispatcherSettings settings;
  private final Clock clock;
  private final Waiter waiter = new Waiter();
  private final InFlight inFlight;
  private final OutcomeWriter writer;
  private final RunAttempts attempts;
  private final HandOffDesk desk;
  private final ClaimTurn turn;
  private final ExtendLeases leases;
  private volatile boolean running;
  private boolean writing;
  private Thread loop;

  public Dispatcher(
      DeliveryQueue queue,
      RequestCodec codec,
      WebhookLookup webhooks,
      AttemptRunner runner,
      RetryPolicy policy,
      Clock clock,
      DispatcherSettings settings,
      EngineMetrics metrics) {
    this.settings = settings;
    this.clock = clock;
    this.inFlight = new InFlight(settings.maxInFlight(), waiter);
    AccountLoad load = new AccountLoad(settings.perAccount(), settings.batchSize(), waiter::wake);
    this.writer =
        new OutcomeWriter(
            queue,
            OutcomeWriter.GATHER,
            System::nanoTime,
            // Room for less than a claim: the permits outcomes hold are what claiming waits for.
            () -> inFlight.free() < settings.batchSize(),
            this::recorded);
    ExecuteClaimed execute =
        new ExecuteClaimed(codec, webhooks, runner, policy, clock, metrics, settings);
    this.attempts = new RunAttempts(execute, load, inFlight, writer);
    this.desk = new HandOffDesk(inFlight, load, attempts, waiter, clock, settings);
    this.turn =
        new ClaimTurn(
            queue,
            settings,
            clock,
            metrics.claimTimer(),
            inFlight,
            load,
            new NearCapPatience(load, settings.nearCapPatience(), System::nanoTime),
            desk,
            attempts);
    this.leases = new ExtendLeases(queue, inFlight, clock, settings);
    metrics.inFlight(inFlight::underWay);
  }

  /** Outcomes written: their room comes back, and a retry due before the next look wakes it. */
  private void recorded(List<Completion> written) {
    Instant soonest = Instant.MAX;
    for (Completion done : written) {
      inFlight.release(done.claimed());
      if (done.nextAttemptAt() != null && done.nextAttemptAt().isBefore(soonest)) {
        soonest = done.nextAttemptAt();
      }
    }
    // Only then: on SQLite every needless look is a claim on the one writer.
    waiter.wakeIfAsleepPast(soonest);
  }

  /** Starts claiming in the background. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    running = true;
    startWriting();
    desk.open(true);
    loop = Thread.ofPlatform().name("estafeta-dispatcher").daemon().start(this::loop);
    leases.start();
  }

  private synchronized void startWriting() {
    if (!writing) {
      writing = true;
      writer.start();
    }
  }

  /** The manual driver over the same steps; the loop must not be running. */
  public synchronized ManualDriver manual() {
    if (loop != null) {
      throw new IllegalStateException("the dispatcher's loop is running");
    }
    startWriting();
    return new ManualDriver(turn, inFlight, settings.shutdownGrace());
  }

  private void loop() {
    while (running) {
      try {
        ClaimTurn.Result next = turn.take();
        switch (next.waitFor()) {
          case NONE -> {}
          case ROOM -> inFlight.awaitRoom(next.atMost());
          case NEAR_CAP -> waiter.await(next.atMost());
          case DUE -> waiter.awaitLook(clock.instant().plus(next.atMost()), next.atMost());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        desk.caughtUp(false);
        // The database is away: keep the loop alive and try again shortly.
        LOG.warn("claiming deliveries failed: {}", e.getMessage());
        try {
          waiter.await(settings.pollInterval());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Something was queued: look for due work now rather than at the next poll. */
  public void wake() {
    waiter.wake();
  }

  /** Where publishing hands new deliveries straight to attempts. */
  public HandOff handOff() {
    return desk;
  }

  /** Stops claiming, lets attempts under way finish (bounded), records them, and returns. */
  @Override
  public void close() {
    Thread l;
    synchronized (this) {
      running = false;
      l = loop;
    }
    desk.open(false);
    waiter.wake();
    if (l != null) {
      // One deadline for the whole shutdown: the loop's exit and the attempts under way.
      long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
      try {
        l.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        // Every permit back means every attempt under way has ended and been recorded.
        if (!inFlight.awaitAllBack(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          LOG.warn("attempts still under way at shutdown; their leases will expire");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writer.close();
    // Leases are kept up until the last attempt under way is recorded.
    leases.close();
    attempts.close();
  }
}
