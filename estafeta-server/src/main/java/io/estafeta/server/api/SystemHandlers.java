package io.estafeta.server.api;

import io.estafeta.store.Database;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Liveness, readiness and the API's own description. */
public final class SystemHandlers {
  private final Database db;
  private final PrometheusMeterRegistry metrics;
  private final byte[] openApi;

  public SystemHandlers(Database db, PrometheusMeterRegistry metrics) {
    this.db = db;
    this.metrics = metrics;
    try (InputStream in = SystemHandlers.class.getResourceAsStream("/openapi.json")) {
      this.openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void health(Context ctx) {
    ctx.json(Bodies.JSON.createObjectNode().put("status", "ok"));
  }

  public void ready(Context ctx) {
    if (db.answers()) {
      ctx.json(Bodies.JSON.createObjectNode().put("status", "ready"));
    } else {
      ctx.status(503).json(Bodies.JSON.createObjectNode().put("status", "database unavailable"));
    }
  }

  /** Prometheus text: open like /health, for the scraper on the operator's network. */
  public void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  public void openApi(Context ctx) {
    ctx.contentType("application/json").result(openApi);
  }
}
