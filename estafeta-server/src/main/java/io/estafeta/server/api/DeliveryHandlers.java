package io.estafeta.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.store.DeliveryRow;
import io.estafeta.store.DeliveryStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** An account's deliveries: the log, one delivery with its attempts, and a manual retry. */
public final class DeliveryHandlers {
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;

  private final Auth auth;
  private final DeliveryStore deliveries;
  private final Clock clock;
  private final Runnable wake;

  public DeliveryHandlers(Auth auth, DeliveryStore deliveries, Clock clock, Runnable wake) {
    this.auth = auth;
    this.deliveries = deliveries;
    this.clock = clock;
    this.wake = wake;
  }

  public void list(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    DeliveryStatus status = null;
    String s = ctx.queryParam("status");
    if (s != null && !s.isEmpty()) {
      try {
        status = DeliveryStatus.fromApiName(s);
      } catch (IllegalArgumentException e) {
        throw new ApiException.Invalid(
            "status", "must be one of pending, succeeded, failed, cancelled");
      }
    }
    int limit = limit(ctx.queryParam("limit"));
    Instant afterAt = null;
    String afterId = null;
    String cursor = ctx.queryParam("cursor");
    if (cursor != null && !cursor.isEmpty()) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
        afterAt = Instant.ofEpochMilli(Long.parseLong(parts[0]));
        afterId = parts[1];
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
        throw new ApiException.Invalid("cursor", "is not a cursor this API gave");
      }
    }
    var filter =
        new DeliveryStore.Filter(
            blankToNull(ctx.queryParam("webhookId")),
            blankToNull(ctx.queryParam("eventId")),
            status);
    List<DeliveryRow> rows = deliveries.list(accountId, filter, afterAt, afterId, limit + 1);
    ArrayNode items = Bodies.JSON.createArrayNode();
    rows.stream().limit(limit).forEach(r -> items.add(Views.delivery(r)));
    ObjectNode answer = Bodies.JSON.createObjectNode();
    answer.set("items", items);
    if (rows.size() > limit) {
      DeliveryRow last = rows.get(limit - 1);
      answer.put(
          "nextCursor",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  (last.createdAt().toEpochMilli() + ":" + last.id())
                      .getBytes(StandardCharsets.UTF_8)));
    } else {
      answer.putNull("nextCursor");
    }
    ctx.json(answer);
  }

  public void get(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    DeliveryRow row =
        deliveries
            .find(accountId, ctx.pathParam("id"))
            .orElseThrow(() -> new ApiException.NotFound("delivery"));
    ctx.json(Views.delivery(row, deliveries.attempts(row.id())));
  }

  public void retry(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    String id = ctx.pathParam("id");
    DeliveryRow row =
        deliveries.find(accountId, id).orElseThrow(() -> new ApiException.NotFound("delivery"));
    if (row.status() != DeliveryStatus.FAILED) {
      throw new ApiException.Conflict(
          "only a failed delivery can be retried; this one is " + row.status().apiName());
    }
    if (!deliveries.retry(accountId, id, clock.instant())) {
      throw new ApiException.Conflict(
          "this delivery cannot be retried: its request could not be rendered");
    }
    wake.run();
    DeliveryRow now = deliveries.find(accountId, id).orElseThrow();
    ctx.status(202).json(Views.delivery(now, deliveries.attempts(id)));
  }

  private static int limit(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the error.
    }
    throw new ApiException.Invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
