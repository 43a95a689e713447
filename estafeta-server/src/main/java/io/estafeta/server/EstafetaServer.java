package io.estafeta.server;

import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.delivery.RetryPolicy;
import io.estafeta.core.webhook.WebhookCheck;
import io.estafeta.core.webhook.WebhookReader;
import io.estafeta.delivery.destination.DestinationPolicy;
import io.estafeta.delivery.dispatch.AttemptRunner;
import io.estafeta.delivery.dispatch.Dispatcher;
import io.estafeta.delivery.housekeeping.Housekeeping;
import io.estafeta.delivery.http.HttpSender;
import io.estafeta.delivery.http.SenderSettings;
import io.estafeta.delivery.ingest.Publisher;
import io.estafeta.delivery.ingest.TemplateCache;
import io.estafeta.delivery.metrics.EngineMetrics;
import io.estafeta.server.api.Auth;
import io.estafeta.server.api.Problems;
import io.estafeta.server.api.Route;
import io.estafeta.server.portal.PortalHandlers;
import io.estafeta.server.portal.PortalSessions;
import io.estafeta.server.portal.PortalWeb;
import io.estafeta.store.AccountStore;
import io.estafeta.store.DeliveryQueue;
import io.estafeta.store.DeliveryStore;
import io.estafeta.store.Dialect;
import io.estafeta.store.EventStore;
import io.estafeta.store.PortalStore;
import io.estafeta.store.RequestCodec;
import io.estafeta.store.WebhookStore;
import io.estafeta.template.TemplateEngine;
import io.javalin.Javalin;
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
import java.util.List;
import java.util.Optional;

/** One Estafeta node: the HTTP API and the dispatcher over the stores. */
public final class EstafetaServer implements AutoCloseable {
  private final Node node;
  private final Javalin app;
  private final List<Route> routes;
  private final Dispatcher dispatcher;
  private final HttpSender sender;
  private final AutoCloseable listener;
  private final EventStore events;
  private final EngineMetrics metrics;
  private final Housekeeping housekeeping;

  private EstafetaServer(
      Node node,
      Javalin app,
      List<Route> routes,
      Dispatcher dispatcher,
      HttpSender sender,
      AutoCloseable listener,
      EventStore events,
      EngineMetrics metrics,
      Housekeeping housekeeping) {
    this.housekeeping = housekeeping;
    this.node = node;
    this.app = app;
    this.routes = routes;
    this.dispatcher = dispatcher;
    this.sender = sender;
    this.listener = listener;
    this.events = events;
    this.metrics = metrics;
  }

  /** What a test may change about a node. */
  public record Options(boolean dispatch, Dispatcher.Settings dispatcherSettings) {
    public static Options defaults() {
      return new Options(true, null);
    }
  }

  /** Starts a node on the configured port (0 picks a free one). */
  public static EstafetaServer start(Config config, Clock anyClock) {
    return start(config, anyClock, Options.defaults());
  }

  public static EstafetaServer start(Config config, Clock anyClock, Options options) {
    // Times are stored to the millisecond: answer them the same way from the start.
    Clock clock = Clock.tick(anyClock, Duration.ofMillis(1));
    Node node = Node.open(config);
    HttpSender sender = null;
    Javalin app = null;
    EventStore events = null;
    PrometheusMeterRegistry registry = null;
    EngineMetrics engineMetrics = null;
    Housekeeping housekeeping = null;
    try {
      EventCatalog catalog = EventCatalog.bundled();
      TemplateEngine engine = new TemplateEngine();
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      bindJvmMetrics(registry);
      engineMetrics = new EngineMetrics(registry);
      AccountStore accounts = new AccountStore(node.db());
      WebhookStore webhooks = new WebhookStore(node.db(), node.box());
      RequestCodec codec = new RequestCodec();
      DeliveryQueue queue = new DeliveryQueue(node.db());
      engineMetrics.sampleQueue(queue, clock, Duration.ofSeconds(5));
      events = new EventStore(node.db());
      TemplateCache templates = new TemplateCache(engine);
      RetryPolicy policy = new RetryPolicy(config.retryDelay(), config.maxRetries());
      sender =
          new HttpSender(new DestinationPolicy(config.allowNetworks()), senderSettings(config));
      AttemptRunner runner = new AttemptRunner(sender, clock, config.userAgent());
      Dispatcher dispatcher =
          new Dispatcher(
              queue,
              codec,
              webhooks::findRecent,
              runner,
              policy,
              clock,
              Optional.ofNullable(options.dispatcherSettings()).orElseGet(() -> settings(config)),
              engineMetrics);
      Publisher publisher =
          new Publisher(events, webhooks, templates, codec, clock, dispatcher, engineMetrics);
      // The portal's session cookie is accepted as its account, beside bearer tokens.
      PortalSessions portalSessions =
          new PortalSessions(new PortalStore(node.db()), clock, config.publicUrl());
      Auth auth = new Auth(node.adminToken(), accounts, portalSessions);
      EngineMetrics sampled = engineMetrics;
      var services =
          new Routes.Services(
              clock,
              node.db(),
              auth,
              catalog,
              accounts,
              webhooks,
              new DeliveryStore(node.db()),
              new WebhookReader(catalog, config.requestTimeout()),
              new WebhookCheck(engine, catalog),
              templates,
              publisher,
              runner,
              policy,
              dispatcher::wake,
              new PortalHandlers(auth, accounts, portalSessions, config.publicUrl()),
              registry,
              // Back-pressure reads the sampled depth: no query per publish.
              () -> sampled.depth().due() > config.maxDue(),
              config.rotationGrace());
      List<Route> routes = Routes.all(services);
      app =
          Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = 1024 * 1024;
            cfg.router.ignoreTrailingSlashes = true;
            PortalWeb.configure(cfg);
            for (Route r : routes) {
              cfg.routes.addHttpHandler(r.method(), r.path(), r.handler());
            }
            Problems.install(cfg.routes);
          });
      if (node.db().dialect() == Dialect.SQLITE) {
        queue.releaseAll(clock.instant());
      }
      app.start(config.port());
      AutoCloseable listener = () -> {};
      housekeeping =
          new Housekeeping(
              new DeliveryStore(node.db()),
              webhooks,
              clock,
              config.retention(),
              config.disableAfter());
      if (options.dispatch()) {
        dispatcher.start();
        housekeeping.start(Duration.ofMinutes(1));
        // Other nodes' publishes wake this one (PostgreSQL LISTEN/NOTIFY).
        listener = node.db().listenForDue(dispatcher::wake);
      }
      return new EstafetaServer(
          node, app, routes, dispatcher, sender, listener, events, engineMetrics, housekeeping);
    } catch (RuntimeException e) {
      // Jetty's threads would keep a half-started node alive: stop everything that started.
      if (app != null) {
        app.stop();
      }
      if (sender != null) {
        sender.close();
      }
      if (events != null) {
        events.close();
      }
      if (engineMetrics != null) {
        engineMetrics.close();
      }
      node.close();
      throw e;
    }
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

  /**
   * As many connections to one receiver as the per-host cap lets attempts through (the caps of the
   * dispatcher, not the pool, decide), but never fewer than the default: idle ones stay for reuse.
   */
  private static SenderSettings senderSettings(Config config) {
    var d = SenderSettings.defaults(config.userAgent());
    return new SenderSettings(
        Math.min(
            Math.max(d.maxConnectionsPerRoute(), config.maxInFlight()),
            Math.max(d.maxConnectionsPerRoute(), config.maxPerHost())),
        d.connectTimeout(),
        d.idleTimeout(),
        d.userAgent());
  }

  private static Dispatcher.Settings settings(Config config) {
    var d = Dispatcher.Settings.defaults(NodeName.of());
    return new Dispatcher.Settings(
        d.owner(),
        d.batchSize(),
        config.maxInFlight(),
        d.pollInterval(),
        config.lease(),
        d.shutdownGrace(),
        config.maxPerHost(),
        config.maxPerAccount(),
        d.nearCapPatience());
  }

  public int port() {
    return app.port();
  }

  public List<Route> routes() {
    return routes;
  }

  public Node node() {
    return node;
  }

  /** The engine's meters, for tests. */
  public EngineMetrics metrics() {
    return metrics;
  }

  /** The chores, for tests that drive them by hand. */
  public Housekeeping housekeeping() {
    return housekeeping;
  }

  /** The dispatcher, for tests that drive it by hand. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Stops taking requests, lets attempts under way finish (bounded), and closes. */
  @Override
  public void close() {
    app.stop();
    try {
      listener.close();
    } catch (Exception e) {
      // Closing anyway.
    }
    housekeeping.close();
    events.close();
    dispatcher.close();
    sender.close();
    metrics.close();
    node.close();
  }
}
