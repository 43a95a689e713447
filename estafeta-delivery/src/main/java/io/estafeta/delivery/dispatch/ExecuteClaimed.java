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
import io.estafeta.store.RequestCodec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a claimed delivery within the node's caps, and what it leads to: the attempt and
 * the delivery's next state, or a put-back when its account or host is at its cap.
 */
final class ExecuteClaimed {
  private static final Logger LOG = LoggerFactory.getLogger(ExecuteClaimed.class);

  private final RequestCodec codec;
  private final WebhookLookup webhooks;
  private final AttemptRunner runner;
  private final RetryPolicy policy;
  private final Clock clock;
  private final EngineMetrics metrics;
  private final Duration hostPatience;
  private final Duration putBackDelay;
  private final ConcurrencyLimits hosts;
  private final ConcurrencyLimits accounts;

  ExecuteClaimed(
      RequestCodec codec,
      WebhookLookup webhooks,
      AttemptRunner runner,
      RetryPolicy policy,
      Clock clock,
      EngineMetrics metrics,
      DispatcherSettings settings) {
    this.codec = codec;
    this.webhooks = webhooks;
    this.runner = runner;
    this.policy = policy;
    this.clock = clock;
    this.metrics = metrics;
    this.hostPatience = settings.hostPatience();
    this.putBackDelay = settings.putBackDelay();
    this.hosts = new ConcurrencyLimits(settings.perHost());
    this.accounts = new ConcurrencyLimits(settings.perAccount());
  }

  /** The caps, for tests that fill one. */
  ConcurrencyLimits accounts() {
    return accounts;
  }

  ConcurrencyLimits hosts() {
    return hosts;
  }

  /** The attempt's outcome to record; empty if there is nothing to record. */
  Optional<Completion> execute(Claimed c) {
    try {
      // An account over its share is put back at once (behind the other accounts' due work),
      // before its request is even read: with one busy account this is most claims.
      if (!accounts.acquire(c.accountId(), Duration.ZERO)) {
        return Optional.of(putBack(c, "account"));
      }
      try {
        return withinAccountCap(c);
      } finally {
        accounts.release(c.accountId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Optional<Completion> withinAccountCap(Claimed c) throws InterruptedException {
    Optional<Webhook> webhook = webhooks.find(c.accountId(), c.webhookId());
    if (webhook.isEmpty()) {
      // The webhook was deleted after the claim; its deletion cancels the delivery.
      return Optional.empty();
    }
    RenderedRequest request =
        codec.decode(c.request()).withSecretValues(webhook.get().definition().headers());
    // A busy host is waited for a little first.
    String host = host(request.url());
    if (!hosts.acquire(host, hostPatience)) {
      return Optional.of(putBack(c, "host"));
    }
    Attempt a;
    try {
      a = runner.run(c.id(), request, webhook.get().signingSecrets(clock.instant()));
    } finally {
      hosts.release(host);
    }
    return Optional.of(outcome(c, a));
  }

  private Completion outcome(Claimed c, Attempt a) {
    int number = c.attempts() + 1;
    // Retries count from the end of the attempt, read from the clock (so tests that hold time
    // still see exact schedules).
    Instant ended = clock.instant();
    Decision decision = policy.decide(number - c.budgetStart(), a.result(), ended);
    metrics.attempted(decision, a.durationMs());
    log(c, number, decision, a);
    AttemptRow row =
        new AttemptRow(
            c.id(),
            number,
            a.startedAt(),
            a.durationMs(),
            decision.outcome(),
            a.error(),
            a.request(),
            a.response());
    return switch (decision) {
      case Decision.Succeeded s ->
          new Completion(c, row, DeliveryStatus.SUCCEEDED, null, null, a.error(), ended);
      case Decision.RetryAt(Instant at) ->
          new Completion(c, row, DeliveryStatus.PENDING, null, at, a.error(), ended);
      case Decision.Failed(FailureReason r) ->
          new Completion(c, row, DeliveryStatus.FAILED, r, null, a.error(), ended);
    };
  }

  /** One INFO line per attempt: ids, outcome, status or error, duration; never a value. */
  private static void log(Claimed c, int number, Decision decision, Attempt a) {
    LOG.info(
        "attempt delivery={} webhook={} account={} number={} outcome={} {} durationMs={}",
        c.id(),
        c.webhookId(),
        c.accountId(),
        number,
        decision.outcome(),
        a.error() == null ? "status=" + statusOf(a) : "error=\"" + a.error() + "\"",
        a.durationMs());
  }

  /** A claim given back unattempted because {@code cause} (account or host) is at its cap. */
  private Completion putBack(Claimed c, String cause) {
    metrics.deferred(cause);
    Instant now = clock.instant();
    return Completion.deferred(c, now.plus(putBackDelay), now);
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
}
