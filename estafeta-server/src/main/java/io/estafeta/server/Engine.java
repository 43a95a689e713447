package io.estafeta.server;

import io.estafeta.core.delivery.RetryPolicy;
import io.estafeta.delivery.destination.DestinationPolicy;
import io.estafeta.delivery.dispatch.AttemptRunner;
import io.estafeta.delivery.dispatch.Dispatcher;
import io.estafeta.delivery.dispatch.DispatcherSettings;
import io.estafeta.delivery.housekeeping.Housekeeping;
import io.estafeta.delivery.http.HttpSender;
import io.estafeta.delivery.http.SenderSettings;
import io.estafeta.delivery.ingest.Publisher;
import io.estafeta.delivery.ingest.TemplateCache;
import io.estafeta.delivery.metrics.EngineMetrics;
import io.estafeta.store.AccountStore;
import io.estafeta.store.DeliveryQueue;
import io.estafeta.store.DeliveryStore;
import io.estafeta.store.Dialect;
import io.estafeta.store.EventStore;
import io.estafeta.store.RequestCodec;
import io.estafeta.store.WebhookStore;
import io.estafeta.template.TemplateEngine;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery side of a node over its database: the stores, the HTTP sender, the dispatcher, the
 * publisher, the housekeeping chores, the meters and the listener for other nodes' work. It closes
 * what it opened in the reverse order: the listener first, the meters last.
 */
final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  final Node node;
  final Clock clock;
  final PrometheusMeterRegistry registry;
  final EngineMetrics metrics;
  final TemplateEngine templateEngine = new TemplateEngine();
  final TemplateCache templates = new TemplateCache(templateEngine);
  final RequestCodec codec = new RequestCodec();
  final AccountStore accounts;
  final WebhookStore webhooks;
  final DeliveryStore deliveries;
  final DeliveryQueue queue;
  final RetryPolicy policy;
  final HttpSender sender;
  final AttemptRunner runner;
  final Dispatcher dispatcher;
  final EventStore events;
  final Publisher publisher;
  final Housekeeping housekeeping;

  /** What has been opened, the newest first: what {@link #close} closes, in that order. */
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /**
   * Opens the engine without starting its loops; a part that fails closes those opened before it.
   *
   * @param adjustDispatcher a test's changes to the dispatcher's settings
   */
  Engine(
      Node node, Config config, Clock clock, UnaryOperator<DispatcherSettings> adjustDispatcher) {
    this.node = node;
    this.clock = clock;
    try {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      bindJvmMetrics(registry);
      metrics = opened(new EngineMetrics(registry));
      accounts = new AccountStore(node.db());
      webhooks = new WebhookStore(node.db(), node.box());
      deliveries = new DeliveryStore(node.db());
      queue = new DeliveryQueue(node.db());
      metrics.sampleQueue(queue, clock, Duration.ofSeconds(5));
      policy = new RetryPolicy(config.retryDelay(), config.maxRetries());
      sender =
          opened(
              new HttpSender(
                  new DestinationPolicy(config.allowNetworks()), senderSettings(config)));
      runner = new AttemptRunner(sender, clock, config.userAgent());
      dispatcher = opened(dispatcher(config, adjustDispatcher));
      events = opened(new EventStore(node.db()));
      publisher =
          new Publisher(events, webhooks, templates, codec, clock, dispatcher.handOff(), metrics);
      housekeeping =
          opened(
              new Housekeeping(
                  deliveries, webhooks, clock, config.retention(), config.disableAfter()));
      if (node.db().dialect() == Dialect.SQLITE) {
        queue.releaseAll(clock.instant());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts delivering (unless a test drives the dispatcher by hand). */
  void start(boolean dispatch) {
    if (dispatch) {
      dispatcher.start();
      housekeeping.start(Duration.ofMinutes(1));
      // Other nodes' publishes wake this one (PostgreSQL LISTEN/NOTIFY).
      opened(node.db().listenForDue(dispatcher::wake));
    }
  }

  /** Back-pressure reads the sampled depth: no query per publish. */
  boolean queueFull(long maxDue) {
    return metrics.depth().due() > maxDue;
  }

  /** The dispatcher over this engine's queue, with the configuration's settings as adjusted. */
  private Dispatcher dispatcher(Config config, UnaryOperator<DispatcherSettings> adjust) {
    DispatcherSettings settings =
        DispatcherSettings.of(
            NodeName.of(),
            config.maxInFlight(),
            config.lease(),
            config.maxPerHost(),
            config.maxPerAccount());
    return new Dispatcher(
        queue, codec, webhooks::findRecent, runner, policy, clock, adjust.apply(settings), metrics);
  }

  /**
   * As many connections to one receiver as the per-host cap lets attempts through (the caps of the
   * dispatcher, not the pool, decide), but never fewer than the default: idle ones stay for reuse.
   */
  private static SenderSettings senderSettings(Config config) {
    var d = SenderSettings.defaults(config.userAgent());
    return d.withMaxConnectionsPerRoute(
        Math.min(
            Math.max(d.maxConnectionsPerRoute(), config.maxInFlight()),
            Math.max(d.maxConnectionsPerRoute(), config.maxPerHost())));
  }

  private static void bindJvmMetrics(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    // Time spent compiling hot code: high just after a start, when the node is not yet at speed.
    new JvmCompilationMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  private <T extends AutoCloseable> T opened(T part) {
    opened.push(part);
    return part;
  }

  /** Stops the loops (attempts under way may finish, bounded) and closes every part. */
  @Override
  public void close() {
    while (!opened.isEmpty()) {
      AutoCloseable part = opened.pop();
      try {
        part.close();
      } catch (Exception e) {
        // The others close anyway.
        LOG.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
