package io.estafeta.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.estafeta.core.secret.Tokens;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.Webhook;
import io.estafeta.core.webhook.WebhookDefinition;
import io.estafeta.core.webhook.WebhookReader;
import io.estafeta.store.WebhookStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** An account's webhooks: create, list, get, replace, delete. */
final class WebhookHandlers {
  // A webhook holds templates of up to 64 KiB each; the whole definition stays well under this.
  static final int BODY_LIMIT = 256 * 1024;

  private final Auth auth;
  private final WebhookReader reader;
  private final WebhookChecks checks;
  private final WebhookStore webhooks;
  private final Clock clock;

  WebhookHandlers(
      Auth auth, WebhookReader reader, WebhookChecks checks, WebhookStore webhooks, Clock clock) {
    this.auth = auth;
    this.reader = reader;
    this.checks = checks;
    this.webhooks = webhooks;
    this.clock = clock;
  }

  void create(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    WebhookDefinition d = definition(Bodies.read(ctx, BODY_LIMIT), List.of());
    List<String> warnings = checks.check(d);
    Instant now = clock.instant();
    Webhook w = new Webhook(Tokens.id("wh"), accountId, d, Tokens.signingSecret(), now, now);
    webhooks.insert(w);
    ctx.status(201).json(Views.webhook(w, warnings));
  }

  void list(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    ArrayNode items = Bodies.JSON.createArrayNode();
    for (Webhook w : webhooks.list(accountId)) {
      items.add(Views.webhook(w, checks.warnings(w.definition())));
    }
    ctx.json(Bodies.JSON.createObjectNode().set("items", items));
  }

  void get(Context ctx) {
    Webhook w = find(ctx);
    ctx.json(Views.webhook(w, checks.warnings(w.definition())));
  }

  void replace(Context ctx) {
    Webhook old = find(ctx);
    WebhookDefinition d = definition(Bodies.read(ctx, BODY_LIMIT), old.definition().headers());
    List<String> warnings = checks.check(d);
    Instant now = clock.instant();
    if (!webhooks.replace(old.accountId(), old.id(), d, now)) {
      throw new ApiException.NotFound("webhook");
    }
    Webhook w =
        new Webhook(old.id(), old.accountId(), d, old.signingSecret(), old.createdAt(), now);
    ctx.json(Views.webhook(w, warnings));
  }

  void delete(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    if (!webhooks.delete(accountId, ctx.pathParam("id"))) {
      throw new ApiException.NotFound("webhook");
    }
    ctx.status(204);
  }

  /** The caller's webhook named in the path, or 404 (also for another account's). */
  Webhook find(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    return webhooks
        .find(accountId, ctx.pathParam("id"))
        .orElseThrow(() -> new ApiException.NotFound("webhook"));
  }

  WebhookDefinition definition(JsonNode body, List<HeaderSpec> previousHeaders) {
    return switch (reader.read(body, previousHeaders)) {
      case WebhookReader.Read(var d) -> d;
      case WebhookReader.Refused(var errors) -> throw new ApiException.Invalid(errors);
    };
  }
}
