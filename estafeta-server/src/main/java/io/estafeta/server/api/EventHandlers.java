package io.estafeta.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.account.Account;
import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.webhook.FieldError;
import io.estafeta.delivery.ingest.Publisher;
import io.estafeta.store.AccountStore;
import io.estafeta.store.EventStore;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/** Publishing events: one, or a batch of up to 500 in one transaction. */
public final class EventHandlers {
  static final int EVENT_LIMIT = 256 * 1024;
  static final int BATCH_SIZE = 500;
  static final int BATCH_LIMIT = 16 * 1024 * 1024;
  private static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7E]{1,200}");
  private static final Set<String> FIELDS = Set.of("id", "type", "accountId", "occurredAt", "data");

  private final Auth auth;
  private final AccountStore accounts;
  private final EventCatalog catalog;
  private final Publisher publisher;
  private final BooleanSupplier queueFull;

  public EventHandlers(
      Auth auth,
      AccountStore accounts,
      EventCatalog catalog,
      Publisher publisher,
      BooleanSupplier queueFull) {
    this.queueFull = queueFull;
    this.auth = auth;
    this.accounts = accounts;
    this.catalog = catalog;
    this.publisher = publisher;
  }

  public void publish(Context ctx) {
    Principal who = auth.principal(ctx);
    refuseWhenFull();
    JsonNode body = Bodies.object(ctx, EVENT_LIMIT);
    List<FieldError> errors = new ArrayList<>();
    Publisher.Event event = read(who, body, "", errors);
    if (!errors.isEmpty()) {
      throw new ApiException.Invalid(errors);
    }
    EventStore.Ingested done = publisher.publish(List.of(event)).getFirst();
    ctx.status(done.created() ? 202 : 200).json(answer(done));
  }

  public void publishBatch(Context ctx) {
    Principal who = auth.principal(ctx);
    refuseWhenFull();
    JsonNode body = Bodies.object(ctx, BATCH_LIMIT);
    JsonNode list = body.get("events");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new ApiException.Invalid("events", "must be a non-empty list of events");
    }
    if (list.size() > BATCH_SIZE) {
      throw new ApiException.Invalid("events", "at most " + BATCH_SIZE + " events in one batch");
    }
    List<FieldError> errors = new ArrayList<>();
    List<Publisher.Event> events = new ArrayList<>();
    // An event written out again is no longer than it came in: within a body no larger than one
    // event may be, no event needs measuring.
    boolean measure = ctx.contentLength() < 0 || ctx.contentLength() > EVENT_LIMIT;
    for (int i = 0; i < list.size(); i++) {
      String prefix = "events[" + i + "].";
      JsonNode e = list.get(i);
      if (!e.isObject()) {
        errors.add(new FieldError("events[" + i + "]", "must be an event object"));
        continue;
      }
      if (measure && e.toString().length() > EVENT_LIMIT) {
        errors.add(new FieldError("events[" + i + "]", "is over 256 KiB"));
        continue;
      }
      events.add(read(who, e, prefix, errors));
    }
    if (!errors.isEmpty()) {
      throw new ApiException.Invalid(errors);
    }
    ArrayNode items = Bodies.JSON.createArrayNode();
    for (EventStore.Ingested done : publisher.publish(events)) {
      items.add(answer(done).put("created", done.created()));
    }
    ctx.status(202).json(Bodies.JSON.createObjectNode().set("items", items));
  }

  /**
   * Back-pressure: while more deliveries are due than the node can send, new events are refused
   * with 429 and Retry-After rather than piling up without bound. Nothing accepted is dropped.
   */
  private void refuseWhenFull() {
    if (queueFull.getAsBoolean()) {
      throw new ApiException.TooManyRequests(
          "the delivery queue is full; publish again after the Retry-After delay", 5);
    }
  }

  private Publisher.Event read(
      Principal who, JsonNode body, String prefix, List<FieldError> errors) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        errors.add(new FieldError(prefix + clip(f), "unknown field"));
      }
    }
    Account account = account(who, body.get("accountId"), prefix, errors);
    String id = null;
    JsonNode idNode = body.get("id");
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isTextual() || !EVENT_ID.matcher(idNode.textValue()).matches()) {
        errors.add(
            new FieldError(prefix + "id", "must be 1 to 200 visible ASCII characters, no spaces"));
      } else {
        id = idNode.textValue();
      }
    }
    JsonNode type = body.get("type");
    if (type == null || !type.isTextual()) {
      errors.add(new FieldError(prefix + "type", "is required: an event type"));
    } else if (!catalog.contains(type.textValue())) {
      errors.add(
          new FieldError(prefix + "type", "'" + clip(type.textValue()) + "' is not an event type"));
    }
    Instant occurredAt = null;
    JsonNode at = body.get("occurredAt");
    if (at != null && !at.isNull()) {
      try {
        occurredAt = OffsetDateTime.parse(at.asText()).toInstant();
        if (!at.isTextual()) {
          throw new DateTimeParseException("", "", 0);
        }
      } catch (DateTimeParseException e) {
        errors.add(
            new FieldError(
                prefix + "occurredAt", "must be an ISO-8601 time such as 2026-11-29T10:00:00Z"));
      }
    }
    JsonNode data = body.get("data");
    if (data == null || !data.isObject()) {
      errors.add(new FieldError(prefix + "data", "is required: a JSON object"));
    }
    return new Publisher.Event(account, id, type == null ? null : type.asText(), occurredAt, data);
  }

  private Account account(
      Principal who, JsonNode accountId, String prefix, List<FieldError> errors) {
    boolean given = accountId != null && !accountId.isNull();
    switch (who) {
      case Principal.AccountKey(Account own) -> {
        if (given && !(accountId.isTextual() && accountId.textValue().equals(own.id()))) {
          errors.add(
              new FieldError(prefix + "accountId", "must be absent or this API key's own account"));
        }
        return own;
      }
      case Principal.Operator o -> {
        if (!given || !accountId.isTextual()) {
          errors.add(
              new FieldError(prefix + "accountId", "is required when publishing as the operator"));
          return null;
        }
        var found = accounts.find(accountId.textValue());
        if (found.isEmpty()) {
          errors.add(new FieldError(prefix + "accountId", "no such account"));
          return null;
        }
        return found.get();
      }
    }
  }

  private static ObjectNode answer(EventStore.Ingested done) {
    ObjectNode o = Bodies.JSON.createObjectNode().put("id", done.eventId());
    ArrayNode list = o.putArray("deliveries");
    done.deliveries()
        .forEach(d -> list.addObject().put("id", d.id()).put("webhookId", d.webhookId()));
    return o;
  }

  private static String clip(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
