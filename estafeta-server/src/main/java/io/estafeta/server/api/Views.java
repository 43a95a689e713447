package io.estafeta.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.DurationText;
import io.estafeta.core.account.Account;
import io.estafeta.core.account.ApiKey;
import io.estafeta.core.catalog.EventType;
import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.Webhook;
import io.estafeta.core.webhook.WebhookDefinition;
import io.estafeta.store.AttemptRow;
import io.estafeta.store.DeliveryRow;
import java.util.List;

/** How resources look in answers. Secrets never leave through here unmasked. */
public final class Views {
  private Views() {}

  public static ObjectNode account(Account a) {
    return Bodies.JSON
        .createObjectNode()
        .put("id", a.id())
        .put("name", a.name())
        .put("createdAt", a.createdAt().toString());
  }

  public static ObjectNode key(ApiKey k) {
    ObjectNode o =
        Bodies.JSON
            .createObjectNode()
            .put("id", k.id())
            .put("prefix", k.prefix())
            .put("createdAt", k.createdAt().toString());
    o.put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString());
    return o;
  }

  public static ObjectNode eventType(EventType t) {
    ObjectNode o = Bodies.JSON.createObjectNode().put("type", t.type());
    o.putObject("name").put("es", t.name().es()).put("en", t.name().en());
    o.putObject("description").put("es", t.description().es()).put("en", t.description().en());
    o.set("schema", t.schema());
    o.set("sample", t.sample());
    return o;
  }

  /** A delivery as the log lists it. */
  public static ObjectNode delivery(DeliveryRow d) {
    ObjectNode o =
        Bodies.JSON
            .createObjectNode()
            .put("id", d.id())
            .put("webhookId", d.webhookId())
            .put("eventId", d.eventId())
            .put("eventType", d.eventType())
            .put("status", d.status().apiName());
    o.put("reason", d.reason() == null ? null : d.reason().apiName());
    o.put("attemptCount", d.attempts());
    o.put(
        "nextAttemptAt",
        d.status() == DeliveryStatus.PENDING && d.nextAttemptAt() != null
            ? d.nextAttemptAt().toString()
            : null);
    o.put("error", d.lastError());
    o.put("createdAt", d.createdAt().toString());
    o.put("updatedAt", d.updatedAt().toString());
    return o;
  }

  /** A delivery with its timeline of attempts. */
  public static ObjectNode delivery(DeliveryRow d, List<AttemptRow> attempts) {
    ObjectNode o = delivery(d);
    ArrayNode list = o.putArray("attempts");
    attempts.forEach(a -> list.add(attempt(a)));
    return o;
  }

  public static ObjectNode attempt(AttemptRow a) {
    ObjectNode o =
        Bodies.JSON
            .createObjectNode()
            .put("number", a.number())
            .put("startedAt", a.startedAt().toString())
            .put("durationMs", a.durationMs())
            .put("outcome", a.outcome());
    o.put("error", a.error());
    o.set("request", stored(a.request()));
    o.set("response", stored(a.response()));
    return o;
  }

  /** A JSON text the delivery side stored, as a tree; {@code null} stays null. */
  static com.fasterxml.jackson.databind.JsonNode stored(String json) {
    if (json == null) {
      return Bodies.JSON.nullNode();
    }
    try {
      return Bodies.JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a stored attempt is not JSON", e);
    }
  }

  public static ObjectNode webhook(Webhook w, List<String> warnings) {
    ObjectNode o = Bodies.JSON.createObjectNode().put("id", w.id());
    definition(o, w.definition().masked());
    o.put("createdAt", w.createdAt().toString());
    o.put("updatedAt", w.updatedAt().toString());
    o.put("signingSecret", w.signingSecret());
    // Set when Estafeta switched the webhook off (every delivery failing); saving it clears it.
    o.put("disabledReason", w.disabledReason());
    ArrayNode list = o.putArray("warnings");
    warnings.forEach(list::add);
    return o;
  }

  /** Writes a definition's fields into {@code o}; the caller masks secrets first. */
  public static ObjectNode definition(ObjectNode o, WebhookDefinition d) {
    o.put("name", d.name());
    ArrayNode events = o.putArray("events");
    d.events().forEach(events::add);
    o.put("method", d.method().name());
    o.put("url", d.url());
    ArrayNode headers = o.putArray("headers");
    for (HeaderSpec h : d.headers()) {
      headers.addObject().put("name", h.name()).put("value", h.value()).put("secret", h.secret());
    }
    if (d.body() == null) {
      o.putNull("body");
    } else {
      o.putObject("body")
          .put("format", d.body().format().apiName())
          .put("template", d.body().template());
    }
    o.put("enabled", d.enabled());
    o.put("timeout", DurationText.format(d.timeout()));
    return o;
  }
}
