package io.estafeta.store;

import java.util.ArrayList;
import java.util.List;

/** The rows a batch of new events adds beside the events themselves, in the batch's order. */
final class IngestRows {
  /** The columns a new delivery sets, the same on every database. */
  static final String INSERT_DELIVERY =
      "insert into deliveries (id, account_id, webhook_id, event_id, event_type, status, reason,"
          + " attempts, budget_start, next_attempt_at, version, last_error, created_at,"
          + " updated_at) ";

  /** An event by its key: which of a batch's events were new. */
  record EventKey(String accountId, String id) {}

  /** A delivery's row as first stored; {@code nextAttemptAt} is null unless pending. */
  record Delivery(
      String id,
      String accountId,
      String webhookId,
      String eventId,
      String eventType,
      String status,
      String reason,
      Long nextAttemptAt,
      String error,
      long createdAt) {}

  record Request(String deliveryId, String head, String body) {}

  /** A pending delivery's queue row: due now, or held by {@code leaseOwner} until {@code dueAt}. */
  record Queued(String deliveryId, long dueAt, String leaseOwner) {}

  final List<Delivery> deliveries = new ArrayList<>();
  final List<Request> requests = new ArrayList<>();
  final List<Queued> queued = new ArrayList<>();

  /** Whether a delivery was queued due now, not held from birth: then others must hear of it. */
  boolean anyDue;
}
