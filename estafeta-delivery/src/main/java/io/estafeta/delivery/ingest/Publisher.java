package io.estafeta.delivery.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.core.account.Account;
import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.FailureReason;
import io.estafeta.core.secret.Tokens;
import io.estafeta.core.webhook.EventData;
import io.estafeta.core.webhook.RequestTemplate;
import io.estafeta.core.webhook.Webhook;
import io.estafeta.delivery.dispatch.HandOff;
import io.estafeta.delivery.metrics.EngineMetrics;
import io.estafeta.store.Claimed;
import io.estafeta.store.EventStore;
import io.estafeta.store.Lease;
import io.estafeta.store.NewDelivery;
import io.estafeta.store.NewEvent;
import io.estafeta.store.RequestCodec;
import io.estafeta.store.WebhookStore;
import io.estafeta.template.RenderContext;
import io.estafeta.template.RenderException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Accepts events: one delivery for each enabled webhook of the account subscribed to the type, its
 * request rendered once, here, and stored with the event in one transaction. Rendering happens
 * before the transaction so the write stays short.
 */
public final class Publisher {
  private final EventStore events;
  private final WebhookStore webhooks;
  private final TemplateCache templates;
  private final RequestCodec codec;
  private final Clock clock;
  private final HandOff handOff;
  private final EngineMetrics metrics;

  public Publisher(
      EventStore events,
      WebhookStore webhooks,
      TemplateCache templates,
      RequestCodec codec,
      Clock clock,
      HandOff handOff,
      EngineMetrics metrics) {
    this.metrics = metrics;
    this.events = events;
    this.webhooks = webhooks;
    this.templates = templates;
    this.codec = codec;
    this.clock = clock;
    this.handOff = handOff;
  }

  /**
   * An event to publish.
   *
   * @param id the producer's id, or {@code null} to have one made
   * @param occurredAt when it happened, or {@code null} for now
   */
  public record Event(Account account, String id, String type, Instant occurredAt, JsonNode data) {}

  /** Publishes events in one transaction; the answer of each, in order. */
  public List<EventStore.Ingested> publish(List<Event> batch) {
    Instant now = clock.instant();
    List<EventStore.Ingest> ingests = new ArrayList<>(batch.size());
    Map<String, List<Webhook>> byAccount = new HashMap<>();
    // No look-up before the write: the insert itself skips an event seen before and answers
    // what was made the first time, so a repeat costs a render, never a read per event.
    for (Event e : batch) {
      String id = e.id() == null ? Tokens.sortableId("evt") : e.id();
      Instant occurred = e.occurredAt() == null ? now : e.occurredAt();
      List<Webhook> candidates =
          byAccount.computeIfAbsent(e.account().id(), webhooks::enabledRecent);
      List<NewDelivery> deliveries = new ArrayList<>();
      Map<?, ?> data = null;
      for (Webhook w : candidates) {
        if (!w.definition().subscribesTo(e.type())) {
          continue;
        }
        if (data == null) {
          data = EventData.of(e.data());
        }
        deliveries.add(delivery(w, e, id, occurred, data));
      }
      ingests.add(
          new EventStore.Ingest(
              new NewEvent(e.account().id(), id, e.type(), occurred, e.data().toString(), now),
              deliveries));
    }
    int pending =
        (int)
            ingests.stream()
                .flatMap(i -> i.deliveries().stream())
                .filter(Publisher::pending)
                .count();
    // A batch is one account's (the API's are); handing off counts the load of one account.
    String accountId = batch.isEmpty() ? null : batch.getFirst().account().id();
    boolean oneAccount = batch.stream().allMatch(e -> e.account().id().equals(accountId));
    Optional<Lease> lease =
        pending == 0 || !oneAccount ? Optional.empty() : handOff.reserve(accountId, pending);
    if (lease.isPresent()) {
      ingests =
          ingests.stream()
              .map(i -> new EventStore.Ingest(i.event(), i.deliveries(), lease.get()))
              .toList();
    }
    List<EventStore.Ingested> stored;
    try {
      stored = events.ingest(ingests);
    } catch (RuntimeException ex) {
      lease.ifPresent(l -> handOff.cancel(accountId, pending));
      throw ex;
    }
    if (lease.isPresent()) {
      takeHandedOff(accountId, ingests, stored, pending);
    } else if (stored.stream().anyMatch(i -> i.created() && !i.deliveries().isEmpty())) {
      handOff.wake();
    }
    return stored;
  }

  /** Attempts the new events' deliveries stored under a lease; a repeat's room is given back. */
  private void takeHandedOff(
      String accountId,
      List<EventStore.Ingest> ingests,
      List<EventStore.Ingested> stored,
      int reserved) {
    List<Claimed> taken = new ArrayList<>(reserved);
    for (int k = 0; k < ingests.size(); k++) {
      if (!stored.get(k).created()) {
        continue;
      }
      NewEvent e = ingests.get(k).event();
      for (NewDelivery d : ingests.get(k).deliveries()) {
        if (pending(d)) {
          // No attempt yet, and the version the row was inserted with.
          taken.add(
              new Claimed(
                  d.id(), e.accountId(), d.webhookId(), e.id(), e.type(), 0, 0, 0, d.request()));
        }
      }
    }
    handOff.cancel(accountId, reserved - taken.size());
    if (!taken.isEmpty()) {
      metrics.handedOff(taken.size());
      handOff.take(taken);
    }
  }

  private static boolean pending(NewDelivery d) {
    return d.status() == DeliveryStatus.PENDING;
  }

  @SuppressWarnings("unchecked")
  private NewDelivery delivery(
      Webhook w, Event e, String eventId, Instant occurred, Map<?, ?> data) {
    String id = Tokens.sortableId("dlv");
    Optional<RequestTemplate> template = templates.of(w);
    if (template.isEmpty()) {
      return new NewDelivery(
          id,
          w.id(),
          DeliveryStatus.FAILED,
          FailureReason.RENDER_ERROR,
          null,
          "the webhook's templates no longer compile");
    }
    RenderContext ctx =
        new RenderContext(
            (Map<String, Object>) data,
            Map.of("id", eventId, "type", e.type(), "occurredAt", occurred.toString()),
            Map.of("id", e.account().id(), "name", e.account().name()),
            Map.of("id", id));
    long started = System.nanoTime();
    try {
      var rendered = template.get().render(ctx);
      metrics.renderTimer().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      return new NewDelivery(
          id, w.id(), DeliveryStatus.PENDING, null, codec.encode(rendered), null);
    } catch (RenderException ex) {
      metrics.renderFailed();
      return new NewDelivery(
          id, w.id(), DeliveryStatus.FAILED, FailureReason.RENDER_ERROR, null, ex.getMessage());
    }
  }
}
