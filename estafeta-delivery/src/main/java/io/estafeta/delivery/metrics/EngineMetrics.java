package io.estafeta.delivery.metrics;

import io.estafeta.core.delivery.Decision;
import io.estafeta.store.DeliveryQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators watch: deliveries by outcome and reason, attempt latency, claim and render time,
 * queue depth and age, attempts in flight. One place names every meter.
 */
public final class EngineMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineMetrics.class);

  // Registering looks a meter up by name and tags every time: each counter is registered once.
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Timer attempt;
  private final Timer claim;
  private final Timer render;
  private final AtomicReference<DeliveryQueue.Depth> depth =
      new AtomicReference<>(new DeliveryQueue.Depth(0, 0, java.util.Optional.empty()));
  private volatile Thread sampler;
  private volatile Runnable sample = () -> {};

  public EngineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.attempt =
        Timer.builder("estafeta.attempt.duration")
            .description("time from sending a request to its answer or failure")
            .publishPercentileHistogram()
            .register(registry);
    this.claim =
        Timer.builder("estafeta.claim.duration")
            .description("time of one claim statement")
            .publishPercentileHistogram()
            .register(registry);
    this.render =
        Timer.builder("estafeta.render.duration")
            .description("time to render one delivery's request")
            .publishPercentileHistogram()
            .register(registry);
  }

  /** Meters that go nowhere: for tests and tools that do not scrape. */
  public static EngineMetrics none() {
    return new EngineMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One attempt ended: its duration and where it left the delivery. */
  public void attempted(Decision decision, long durationMs) {
    attempt.record(durationMs, TimeUnit.MILLISECONDS);
    String outcome =
        switch (decision) {
          case Decision.Succeeded s -> "succeeded";
          case Decision.RetryAt r -> "retry";
          case Decision.Failed f -> "failed";
        };
    String reason = decision instanceof Decision.Failed(var r) ? r.apiName() : "none";
    deliveries(outcome, reason).increment();
  }

  private Counter deliveries(String outcome, String reason) {
    return counter(
        "estafeta.deliveries",
        "attempts by the state they left the delivery in",
        "outcome",
        outcome,
        "reason",
        reason);
  }

  /**
   * A claimed delivery was put back unattempted because its account ({@code "account"}) or its
   * destination host ({@code "host"}) was at its cap: many of these mean claims spent for nothing.
   */
  public void deferred(String cause) {
    counter(
            "estafeta.deferrals",
            "claimed deliveries put back because a cap was reached",
            "cause",
            cause)
        .increment();
  }

  private Counter counter(String name, String description, String... tags) {
    List<String> key = new ArrayList<>(tags.length + 1);
    key.add(name);
    key.addAll(Arrays.asList(tags));
    return counters.computeIfAbsent(
        key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  /** Deliveries stored already leased to this node and attempted at once, without a claim. */
  public void handedOff(int count) {
    counter(
            "estafeta.handoffs",
            "deliveries attempted straight from publishing, without a claim from the queue")
        .increment(count);
  }

  /** A delivery failed before any attempt (its request could not be rendered). */
  public void renderFailed() {
    deliveries("failed", "render_error").increment();
  }

  public Timer claimTimer() {
    return claim;
  }

  public Timer renderTimer() {
    return render;
  }

  /** Attempts under way on this node. */
  public void inFlight(IntSupplier count) {
    Gauge.builder("estafeta.in.flight", count::getAsInt)
        .description("attempts under way on this node")
        .register(registry);
  }

  /**
   * Samples the queue's depth every {@code every} (a count over the pending rows' index) for the
   * depth and age gauges.
   */
  public void sampleQueue(DeliveryQueue queue, Clock clock, Duration every) {
    Gauge.builder("estafeta.queue.due", () -> depth.get().due())
        .description("pending deliveries due now")
        .register(registry);
    Gauge.builder("estafeta.queue.waiting", () -> depth.get().waiting())
        .description("pending deliveries waiting for a retry time")
        .register(registry);
    Gauge.builder(
            "estafeta.queue.oldest.due.age",
            () ->
                depth
                    .get()
                    .oldestDue()
                    .map(t -> Math.max(0, Duration.between(t, clock.instant()).toMillis()) / 1000.0)
                    .orElse(0.0))
        .description("seconds the oldest due delivery has been due")
        .baseUnit("seconds")
        .register(registry);
    sample = () -> depth.set(queue.depth(clock.instant()));
    sampler =
        Thread.ofPlatform()
            .name("estafeta-queue-sampler")
            .daemon()
            .start(() -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  depth.set(queue.depth(clock.instant()));
                  Thread.sleep(every);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  LOG.debug("sampling the queue failed: {}", e.getMessage());
                  try {
                    Thread.sleep(every);
                  } catch (InterruptedException ie) {
                    return;
                  }
                }
              }
            });
  }

  /** Samples the queue now rather than at the next tick (tests). */
  public void sampleNow() {
    sample.run();
  }

  /** The last sampled depth: for back-pressure decisions. */
  public DeliveryQueue.Depth depth() {
    return depth.get();
  }

  @Override
  public void close() {
    Thread s = sampler;
    if (s != null) {
      s.interrupt();
    }
  }
}
