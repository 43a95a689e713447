package io.estafeta.server.api;

import io.estafeta.store.Database;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Liveness, readiness and the API's own description. */
final class SystemHandlers {
  private final Database db;
  private final byte[] openApi;

  SystemHandlers(Database db) {
    this.db = db;
    try (InputStream in = SystemHandlers.class.getResourceAsStream("/openapi.json")) {
      this.openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void health(Context ctx) {
    ctx.json(Bodies.JSON.createObjectNode().put("status", "ok"));
  }

  void ready(Context ctx) {
    if (db.answers()) {
      ctx.json(Bodies.JSON.createObjectNode().put("status", "ready"));
    } else {
      ctx.status(503).json(Bodies.JSON.createObjectNode().put("status", "database unavailable"));
    }
  }

  void openApi(Context ctx) {
    ctx.contentType("application/json").result(openApi);
  }
}
