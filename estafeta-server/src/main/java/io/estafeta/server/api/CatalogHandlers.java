package io.estafeta.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.estafeta.core.catalog.EventCatalog;
import io.javalin.http.Context;

/** The event catalog, public to any caller with a token. */
public final class CatalogHandlers {
  private final Auth auth;
  private final String body;

  public CatalogHandlers(Auth auth, EventCatalog catalog) {
    this.auth = auth;
    ArrayNode list = Bodies.JSON.createArrayNode();
    catalog.all().forEach(t -> list.add(Views.eventType(t)));
    // The catalog never changes while the process runs: serialise it once.
    this.body = list.toString();
  }

  public void list(Context ctx) {
    auth.principal(ctx);
    ctx.contentType("application/json").result(body);
  }
}
