package io.estafeta.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.store.DeliveryStore;
import io.estafeta.store.WebhookStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A webhook's last 24 hours of deliveries by hour, and its newest delivery: the portal's charts.
 */
public final class WebhookStats {
  private static final int HOURS = 24;

  private final Auth auth;
  private final WebhookStore webhooks;
  private final DeliveryStore deliveries;
  private final Clock clock;

  public WebhookStats(Auth auth, WebhookStore webhooks, DeliveryStore deliveries, Clock clock) {
    this.auth = auth;
    this.webhooks = webhooks;
    this.deliveries = deliveries;
    this.clock = clock;
  }

  /** {@code GET /api/v1/webhooks/{id}/stats}: the last 24 hours by hour, and the last delivery. */
  public void stats(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    String webhookId = ctx.pathParam("id");
    if (webhooks.find(accountId, webhookId).isEmpty()) {
      throw new ApiException.NotFound("webhook");
    }
    Instant now = clock.instant();
    Instant from = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
    var buckets = deliveries.histogram(accountId, webhookId, from, Duration.ofHours(1), HOURS);
    ObjectNode answer = Bodies.JSON.createObjectNode().put("webhookId", webhookId);
    answer.put("from", from.toString());
    answer.put("to", from.plus(Duration.ofHours(HOURS)).toString());
    answer.put("bucketSeconds", 3600);
    ArrayNode list = answer.putArray("buckets");
    int succeeded = 0;
    int failed = 0;
    int pending = 0;
    for (DeliveryStore.Bucket b : buckets) {
      list.addObject()
          .put("start", b.start().toString())
          .put("succeeded", b.succeeded())
          .put("failed", b.failed())
          .put("pending", b.pending());
      succeeded += b.succeeded();
      failed += b.failed();
      pending += b.pending();
    }
    answer
        .putObject("totals")
        .put("succeeded", succeeded)
        .put("failed", failed)
        .put("pending", pending);
    Optional<DeliveryStore.LastDelivery> last = deliveries.lastDelivery(accountId, webhookId);
    if (last.isEmpty()) {
      answer.putNull("lastDelivery");
    } else {
      var d = last.get();
      ObjectNode o =
          answer
              .putObject("lastDelivery")
              .put("id", d.id())
              .put("eventType", d.eventType())
              .put("status", d.status());
      o.put("reason", d.reason());
      o.put("createdAt", d.createdAt().toString());
    }
    ctx.json(answer);
  }
}
