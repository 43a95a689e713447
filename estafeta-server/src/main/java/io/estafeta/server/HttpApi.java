package io.estafeta.server;

import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.webhook.WebhookCheck;
import io.estafeta.core.webhook.WebhookReader;
import io.estafeta.server.api.AccountHandlers;
import io.estafeta.server.api.Auth;
import io.estafeta.server.api.CatalogHandlers;
import io.estafeta.server.api.DeliveryHandlers;
import io.estafeta.server.api.EventHandlers;
import io.estafeta.server.api.Problems;
import io.estafeta.server.api.Route;
import io.estafeta.server.api.SystemHandlers;
import io.estafeta.server.api.WebhookHandlers;
import io.estafeta.server.api.WebhookStats;
import io.estafeta.server.portal.PortalHandlers;
import io.estafeta.server.portal.PortalSessions;
import io.estafeta.server.portal.PortalWeb;
import io.estafeta.store.PortalStore;
import io.javalin.Javalin;
import java.util.List;

/** The HTTP side of a node: the API's routes and the portal, on one Javalin app over the engine. */
final class HttpApi implements AutoCloseable {
  private final Javalin app;
  private final List<Route> routes;

  private HttpApi(Javalin app, List<Route> routes) {
    this.app = app;
    this.routes = routes;
  }

  /** Builds the routes over the engine and listens on the configured port (0: any free one). */
  static HttpApi start(Config config, Engine engine) {
    List<Route> routes = routes(config, engine);
    Javalin app =
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
    try {
      app.start(config.port());
    } catch (RuntimeException e) {
      // Jetty's threads would keep a half-started node alive.
      app.stop();
      throw e;
    }
    return new HttpApi(app, routes);
  }

  /** Each group of handlers with what it works with, and no more. */
  private static List<Route> routes(Config config, Engine engine) {
    EventCatalog catalog = EventCatalog.bundled();
    // The portal's session cookie is accepted as its account, beside bearer tokens.
    PortalSessions sessions =
        new PortalSessions(new PortalStore(engine.node.db()), engine.clock, config.publicUrl());
    Auth auth = new Auth(engine.node.adminToken(), engine.accounts, sessions);
    return Routes.all(
        new SystemHandlers(engine.node.db(), engine.registry),
        new AccountHandlers(auth, engine.accounts, engine.clock),
        new CatalogHandlers(auth, catalog),
        new WebhookHandlers(
            auth,
            new WebhookReader(catalog, config.requestTimeout()),
            new WebhookCheck(engine.templateEngine, catalog),
            catalog,
            engine.webhooks,
            engine.deliveries,
            engine.templates,
            engine.runner,
            engine.policy,
            engine.clock,
            config.rotationGrace()),
        new WebhookStats(auth, engine.webhooks, engine.deliveries, engine.clock),
        new EventHandlers(
            auth,
            engine.accounts,
            catalog,
            engine.publisher,
            () -> engine.queueFull(config.maxDue())),
        new DeliveryHandlers(auth, engine.deliveries, engine.clock, engine.dispatcher::wake),
        new PortalHandlers(auth, engine.accounts, sessions, config::publicUrl));
  }

  int port() {
    return app.port();
  }

  List<Route> routes() {
    return routes;
  }

  /** Stops taking requests. */
  @Override
  public void close() {
    app.stop();
  }
}
