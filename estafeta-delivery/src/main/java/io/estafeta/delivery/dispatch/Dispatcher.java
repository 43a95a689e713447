package io.estafeta.delivery.dispatch;

import io.estafeta.core.delivery.AttemptResult;
import io.estafeta.core.delivery.Decision;
import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.FailureReason;
import io.estafeta.core.delivery.RetryPolicy;
import io.estafeta.core.webhook.RenderedRequest;
import io.estafeta.core.webhook.Webhook;
import io.estafeta.delivery.metrics.EngineMetrics;
import io.estafeta.store.AttemptRow;
import io.estafeta.store.Claimed;
import io.estafeta.store.Completion;
import io.estafeta.store.DeliveryQueue;
import io.estafeta.store.Lease;
import io.estafeta.store.RequestCodec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due deliveries, sends each on its own virtual thread outside any transaction, and records
 * attempts and next states in batches. {@link #start()} runs the loop; {@link #runDue()} is the
 * manual driver tests use to move time instead of sleeping.
 */
public final class Dispatcher implements HandOff, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * How the dispatcher works.
   *
   * @param owner this node's name on the leases it takes
   * @param batchSize deliveries claimed per statement
   * @param maxInFlight attempts under way at once
   * @param pollInterval longest sleep: how soon work published by another node is seen without a
   *     wake
   * @param lease how long a claim holds: longer than any attempt can take
   * @param shutdownGrace how long closing waits for attempts under way
   * @param perHost concurrent requests to one destination host at most
   * @param perAccount concurrent attempts of one account at most on this node
   * @param nearCapPatience how long claiming waits, in all, for an account so busy that the next
   *     claim could take it past its cap; one that stays that busy longer has a slow receiver, and
   *     claiming goes on (what the account cannot take is put back behind the others' due work)
   */
  public record Settings(
      String owner,
      int batchSize,
      int maxInFlight,
      Duration pollInterval,
      Duration lease,
      Duration shutdownGrace,
      int perHost,
      int perAccount,
      Duration nearCapPatience) {
    public static Settings defaults(String owner) {
      return new Settings(
          owner,
          100,
          1000,
          Duration.ofSeconds(1),
          Duration.ofMinutes(3),
          Duration.ofSeconds(30),
          20,
          250,
          Duration.ofMillis(200));
    }
  }

  // How long an attempt waits for a slot to its host before its delivery is put back, and how
  // much later it is due again then.
  private static final Duration HOST_PATIENCE = Duration.ofSeconds(2);
  private static final Duration HOST_BACKOFF = Duration.ofSeconds(1);

  private final DeliveryQueue queue;
  private final RequestCodec codec;
  private final WebhookLookup webhooks;
  private final AttemptRunner runner;
  private final RetryPolicy policy;
  private final Clock clock;
  private final Settings settings;
  private final EngineMetrics metrics;
  private final Waiter waiter = new Waiter();
  private final Semaphore inFlight;
  private final ConcurrencyLimits hosts;
  private final ConcurrencyLimits accounts;
  private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
  private final OutcomeWriter writer;
  // Claimed by this node and not yet recorded, by id with the claim's version: the leases the
  // heartbeat keeps up. The version tells a re-claim of the same delivery from the claim just
  // recorded, so recording one never drops the other's lease.
  private final Map<String, Integer> held = new ConcurrentHashMap<>();
  private final AccountLoad load;
  // Since when some account has been near its cap, while one is (System.nanoTime).
  private boolean nearCap;
  private long nearCapSince;
  private volatile boolean running;
  // The last claim took less than it could: nothing due is left in the queue for new deliveries
  // handed straight to attempts to overtake.
  private volatile boolean caughtUp;
  private volatile boolean heartbeating = true;
  // When the loop, asleep, looks next; Instant.MAX while it is not asleep with a deadline it
  // knows (claiming, or about to sleep), so that no wake that could matter is skipped then.
  private volatile Instant nextLook = Instant.MAX;
  // The loop waits for in-flight room: a permit coming back must wake it.
  private volatile boolean starved;
  private Thread loop;
  private Thread heartbeat;

  public Dispatcher(
      DeliveryQueue queue,
      RequestCodec codec,
      WebhookLookup webhooks,
      AttemptRunner runner,
      RetryPolicy policy,
      Clock clock,
      Settings settings,
      EngineMetrics metrics) {
    this.queue = queue;
    this.metrics = metrics;
    this.codec = codec;
    this.webhooks = webhooks;
    this.runner = runner;
    this.policy = policy;
    this.clock = clock;
    this.settings = settings;
    this.inFlight = new Semaphore(settings.maxInFlight());
    this.hosts = new ConcurrencyLimits(settings.perHost());
    this.accounts = new ConcurrencyLimits(settings.perAccount());
    this.load = new AccountLoad(settings.perAccount(), settings.batchSize(), waiter::wake);
    metrics.inFlight(() -> settings.maxInFlight() - inFlight.availablePermits());
    this.writer =
        new OutcomeWriter(
            queue,
            OutcomeWriter.GATHER,
            // Room for less than a claim: the permits outcomes hold are what claiming waits for.
            () -> inFlight.availablePermits() < settings.batchSize(),
            written -> {
              // The in-flight permit is given back only now: what the node has claimed and not
              // recorded stays within its cap, so a slow writer slows claiming rather than
              // letting unrecorded claims (and the leases to keep up) pile up.
              written.forEach(done -> release(done.claimed()));
              // A retry or put-back due before the dispatcher's next look: let it look sooner.
              // Only then: on SQLite every needless look is a claim on the one writer.
              Instant look = nextLook;
              if (written.stream()
                  .anyMatch(done ->
                      done.nextAttemptAt() != null && done.nextAttemptAt().isBefore(look))) {
                waiter.wake();
              }
            });
  }

  /** Starts claiming in the background. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    running = true;
    writer.start();
    loop = Thread.ofPlatform().name("estafeta-dispatcher").daemon().start(this::loop);
    heartbeat = Thread.ofPlatform().name("estafeta-heartbeat").daemon().start(this::heartbeat);
  }

  /** Extends this node's leases every quarter lease, for as long as the node runs. */
  private void heartbeat() {
    long every = Math.max(50, settings.lease().toMillis() / 4);
    while (heartbeating) {
      try {
        Thread.sleep(every);
        queue.extendLeases(settings.owner(), held.keySet(), clock.instant().plus(settings.lease()));
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("extending leases failed: {}", e.getMessage());
      }
    }
  }

  @Override
  public void wake() {
    waiter.wake();
  }

  @Override
  public Optional<Lease> reserve(String accountId, int count) {
    // Another account near its cap does not hold this one back: the claim's wait is for the
    // accounts it cannot choose between, and this account's own load is checked below.
    if (!running || !caughtUp) {
      return Optional.empty();
    }
    if (!inFlight.tryAcquire(count)) {
      // These queue: later ones must not overtake them before the next claim has looked.
      caughtUp = false;
      return Optional.empty();
    }
    if (!load.tryAdd(accountId, count)) {
      inFlight.release(count);
      caughtUp = false;
      return Optional.empty();
    }
    return Optional.of(new Lease(settings.owner(), clock.instant().plus(settings.lease())));
  }

  @Override
  public void take(List<Claimed> claimed) {
    // Their room and their account's load were counted when it was reserved.
    for (Claimed c : claimed) {
      held.put(c.id(), c.version());
    }
    claimed.forEach(this::launch);
  }

  @Override
  public void cancel(String accountId, int count) {
    if (count > 0) {
      load.ended(accountId, count);
      inFlight.release(count);
      waiter.wake();
    }
  }

  /**
   * The manual driver: claims and runs everything due at the clock's now, waits for the attempts
   * and records them. Returns how many attempts were made.
   */
  public int runDue() {
    int total = 0;
    while (true) {
      Instant now = clock.instant();
      List<Claimed> claimed =
          metrics
              .claimTimer()
              .record(() ->
                  queue.claim(
                      settings.owner(), now, now.plus(settings.lease()), settings.batchSize()));
      if (claimed.isEmpty()) {
        return total;
      }
      List<Future<Optional<Completion>>> futures = new ArrayList<>();
      for (Claimed c : claimed) {
        futures.add(attempts.submit(() -> execute(c)));
      }
      List<Completion> done = new ArrayList<>();
      for (Future<Optional<Completion>> f : futures) {
        try {
          f.get().ifPresent(done::add);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return total;
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
      queue.complete(done);
      total += claimed.size();
    }
  }

  private void loop() {
    while (running) {
      try {
        int free = inFlight.availablePermits();
        if (free == 0) {
          starved = true;
          // A permit released between the look and the flag: its wake would have been skipped.
          if (inFlight.availablePermits() == 0) {
            waiter.await(settings.pollInterval());
          }
          starved = false;
          continue;
        }
        if (waitForAccountsNearCap()) {
          continue;
        }
        int wanted = Math.min(settings.batchSize(), free);
        Instant now = clock.instant();
        List<Claimed> claimed =
            metrics
                .claimTimer()
                .record(
                    () -> queue.claim(settings.owner(), now, now.plus(settings.lease()), wanted));
        for (Claimed c : claimed) {
          held.put(c.id(), c.version());
          load.claimed(c.accountId());
        }
        caughtUp = claimed.size() < wanted;
        for (Claimed c : claimed) {
          inFlight.acquire();
          launch(c);
        }
        if (claimed.size() < wanted) {
          Duration sleep = sleepUntilNextDue();
          nextLook = clock.instant().plus(sleep);
          try {
            waiter.await(sleep);
          } finally {
            nextLook = Instant.MAX;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        caughtUp = false;
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

  /** Attempts a claimed delivery on a virtual thread of its own; its in-flight permit is held. */
  private void launch(Claimed c) {
    Runnable attempt =
        () -> {
          boolean recording = false;
          try {
            Optional<Completion> done;
            try {
              done = execute(c);
            } finally {
              load.ended(c.accountId());
            }
            if (done.isPresent()) {
              writer.add(done.get());
              recording = true;
            }
          } catch (RuntimeException e) {
            LOG.error("attempt of delivery {} failed unexpectedly", c.id(), e);
          } finally {
            if (!recording) {
              release(c);
            }
          }
        };
    try {
      attempts.execute(attempt);
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: the lease runs out and the delivery is due again.
      load.ended(c.accountId());
      release(c);
    }
  }

  /**
   * Waits (up to {@code nearCapPatience} in all) while an account has so much under way that the
   * next claim could take it past its cap. True if it waited and the loop should look again.
   */
  private boolean waitForAccountsNearCap() throws InterruptedException {
    if (!load.anyAtMark()) {
      nearCap = false;
      return false;
    }
    long now = System.nanoTime();
    if (!nearCap) {
      nearCap = true;
      nearCapSince = now;
    }
    long left = settings.nearCapPatience().toNanos() - (now - nearCapSince);
    if (left <= 0) {
      return false;
    }
    waiter.await(Duration.ofNanos(left));
    return true;
  }

  /** The claim is done with: recorded, or nothing to record. */
  private void release(Claimed c) {
    held.remove(c.id(), c.version());
    inFlight.release();
    if (starved) {
      waiter.wake();
    }
  }

  private Duration sleepUntilNextDue() {
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

  /**
   * One attempt of a claimed delivery, and what it leads to; a put-back when its account or host is
   * at its cap; empty if there is nothing to send.
   */
  private Optional<Completion> execute(Claimed c) {
    Attempt a;
    try {
      // An account over its share is put back at once (behind the other accounts' due work),
      // before its request is even read: with one busy account this is most claims.
      if (!accounts.acquire(c.accountId(), Duration.ZERO)) {
        return putBack(c, "account");
      }
      try {
        Optional<Webhook> webhook = webhooks.find(c.accountId(), c.webhookId());
        if (webhook.isEmpty()) {
          // The webhook was deleted after the claim; its deletion cancels the delivery.
          return Optional.empty();
        }
        RenderedRequest request =
            codec.decode(c.request()).withSecretValues(webhook.get().definition().headers());
        // A busy host is waited for a little first.
        String host = host(request.url());
        if (!hosts.acquire(host, HOST_PATIENCE)) {
          return putBack(c, "host");
        }
        try {
          a = runner.run(c.id(), request, webhook.get().signingSecrets(clock.instant()));
        } finally {
          hosts.release(host);
        }
      } finally {
        accounts.release(c.accountId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    int number = c.attempts() + 1;
    // Retries count from the end of the attempt, read from the clock (so tests that hold time
    // still see exact schedules).
    Instant ended = clock.instant();
    Decision decision = policy.decide(number - c.budgetStart(), a.result(), ended);
    metrics.attempted(decision, a.durationMs());
    DeliveryStatus status;
    Instant next = null;
    FailureReason reason = null;
    switch (decision) {
      case Decision.Succeeded s -> status = DeliveryStatus.SUCCEEDED;
      case Decision.RetryAt(Instant at) -> {
        status = DeliveryStatus.PENDING;
        next = at;
      }
      case Decision.Failed(var r) -> {
        status = DeliveryStatus.FAILED;
        reason = r;
      }
    }
    LOG.info(
        "attempt delivery={} webhook={} account={} number={} outcome={} {} durationMs={}",
        c.id(),
        c.webhookId(),
        c.accountId(),
        number,
        decision.outcome(),
        a.error() == null ? "status=" + statusOf(a) : "error=\"" + a.error() + "\"",
        a.durationMs());
    return Optional.of(
        new Completion(
            c,
            new AttemptRow(
                c.id(),
                number,
                a.startedAt(),
                a.durationMs(),
                decision.outcome(),
                a.error(),
                a.request(),
                a.response()),
            status,
            reason,
            next,
            a.error(),
            clock.instant()));
  }

  /** A claim given back unattempted because {@code cause} (account or host) is at its cap. */
  private Optional<Completion> putBack(Claimed c, String cause) {
    metrics.deferred(cause);
    Instant now = clock.instant();
    return Optional.of(Completion.deferred(c, now.plus(HOST_BACKOFF), now));
  }

  /** The host a URL goes to, for the per-host cap; the whole URL if it has none. */
  static String host(String url) {
    try {
      URI u = URI.create(url);
      return u.getHost() != null
          ? u.getHost()
          : u.getRawAuthority() != null ? u.getRawAuthority() : url;
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  private static String statusOf(Attempt a) {
    return a.result() instanceof AttemptResult.Answered(int s, var r) ? Integer.toString(s) : "-";
  }

  /** Stops claiming, lets attempts under way finish (bounded), records them, and returns. */
  @Override
  public void close() {
    Thread l;
    synchronized (this) {
      running = false;
      l = loop;
    }
    waiter.wake();
    if (l != null) {
      // One deadline for the whole shutdown: the loop's exit and the attempts under way.
      long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
      try {
        l.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        // Every permit back means every attempt under way has ended and been recorded.
        if (inFlight.tryAcquire(
            settings.maxInFlight(),
            Math.max(0, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS)) {
          inFlight.release(settings.maxInFlight());
        } else {
          LOG.warn("attempts still under way at shutdown; their leases will expire");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writer.close();
    // Leases are kept up until the last attempt under way is recorded.
    heartbeating = false;
    if (heartbeat != null) {
      heartbeat.interrupt();
    }
    attempts.shutdownNow();
  }
}
