package io.estafeta.server;

import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.webhook.WebhookReader;
import io.estafeta.server.api.Auth;
import io.estafeta.server.api.Problems;
import io.estafeta.server.api.Route;
import io.estafeta.server.api.Routes;
import io.estafeta.store.AccountStore;
import io.estafeta.store.WebhookStore;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.List;

/** One Estafeta node: the HTTP API over the stores. */
public final class EstafetaServer implements AutoCloseable {
  private final Node node;
  private final Javalin app;
  private final List<Route> routes;

  private EstafetaServer(Node node, Javalin app, List<Route> routes) {
    this.node = node;
    this.app = app;
    this.routes = routes;
  }

  /** Starts a node on the configured port (0 picks a free one). */
  public static EstafetaServer start(Config config, Clock anyClock) {
    // Times are stored to the millisecond: answer them the same way from the start.
    Clock clock = Clock.tick(anyClock, java.time.Duration.ofMillis(1));
    Node node = Node.open(config);
    try {
      EventCatalog catalog = EventCatalog.bundled();
      AccountStore accounts = new AccountStore(node.db());
      var services =
          new Routes.Services(
              clock,
              node.db(),
              new Auth(node.adminToken(), accounts),
              catalog,
              accounts,
              new WebhookStore(node.db(), node.box()),
              new WebhookReader(catalog, config.requestTimeout()));
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
      app.start(config.port());
      return new EstafetaServer(node, app, routes);
    } catch (RuntimeException e) {
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

  @Override
  public void close() {
    app.stop();
    node.close();
  }
}
