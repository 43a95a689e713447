package io.estafeta.server;

import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.delivery.RetryPolicy;
import io.estafeta.core.webhook.WebhookCheck;
import io.estafeta.core.webhook.WebhookReader;
import io.estafeta.delivery.destination.DestinationPolicy;
import io.estafeta.delivery.dispatch.AttemptRunner;
import io.estafeta.delivery.dispatch.Dispatcher;
import io.estafeta.delivery.http.HttpSender;
import io.estafeta.delivery.http.SenderSettings;
import io.estafeta.delivery.ingest.Publisher;
import io.estafeta.delivery.ingest.TemplateCache;
import io.estafeta.server.api.Auth;
import io.estafeta.server.api.Problems;
import io.estafeta.server.api.Route;
import io.estafeta.server.api.Routes;
import io.estafeta.store.AccountStore;
import io.estafeta.store.DeliveryQueue;
import io.estafeta.store.DeliveryStore;
import io.estafeta.store.Dialect;
import io.estafeta.store.EventStore;
import io.estafeta.store.RequestCodec;
import io.estafeta.store.WebhookStore;
import io.estafeta.template.TemplateEngine;
import io.javalin.Javalin;
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

  private EstafetaServer(
      Node node, Javalin app, List<Route> routes, Dispatcher dispatcher, HttpSender sender) {
    this.node = node;
    this.app = app;
    this.routes = routes;
    this.dispatcher = dispatcher;
    this.sender = sender;
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
    try {
      EventCatalog catalog = EventCatalog.bundled();
      TemplateEngine engine = new TemplateEngine();
      AccountStore accounts = new AccountStore(node.db());
      WebhookStore webhooks = new WebhookStore(node.db(), node.box());
      RequestCodec codec = new RequestCodec(node.box());
      DeliveryQueue queue = new DeliveryQueue(node.db());
      TemplateCache templates = new TemplateCache(engine);
      RetryPolicy policy = new RetryPolicy(config.retryDelay(), config.maxRetries());
      sender =
          new HttpSender(
              new DestinationPolicy(config.allowNetworks()),
              SenderSettings.defaults(config.userAgent()));
      AttemptRunner runner = new AttemptRunner(sender, clock, config.userAgent());
      Dispatcher dispatcher =
          new Dispatcher(
              queue,
              codec,
              (accountId, webhookId) ->
                  webhooks.find(accountId, webhookId).map(w -> List.of(w.signingSecret())),
              runner,
              policy,
              clock,
              Optional.ofNullable(options.dispatcherSettings())
                  .orElseGet(() -> Dispatcher.Settings.defaults(NodeName.of())));
      Publisher publisher =
          new Publisher(
              new EventStore(node.db()), webhooks, templates, codec, clock, dispatcher::wake);
      var services =
          new Routes.Services(
              clock,
              node.db(),
              new Auth(node.adminToken(), accounts),
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
              dispatcher::wake);
      Javalin app =
          Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.useVirtualThreads = true;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = 1024 * 1024;
            cfg.router.ignoreTrailingSlashes = true;
          });
      List<Route> routes = Routes.all(services);
      for (Route r : routes) {
        app.addHttpHandler(r.method(), r.path(), r.handler());
      }
      Problems.install(app);
      if (node.db().dialect() == Dialect.SQLITE) {
        queue.releaseAll(clock.instant());
      }
      app.start(config.port());
      if (options.dispatch()) {
        dispatcher.start();
      }
      return new EstafetaServer(node, app, routes, dispatcher, sender);
    } catch (RuntimeException e) {
      if (sender != null) {
        sender.close();
      }
      node.close();
      throw e;
    }
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

  /** The dispatcher, for tests that drive it by hand. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Stops taking requests, lets attempts under way finish (bounded), and closes. */
  @Override
  public void close() {
    app.stop();
    dispatcher.close();
    sender.close();
    node.close();
  }
}
