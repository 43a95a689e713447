package io.estafeta.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.FailureReason;
import io.estafeta.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading deliveries and their attempts, a webhook's counts over time, and the account's own
 * actions on them.
 */
public final class DeliveryStore {
  private static final String COLUMNS =
      "id, account_id, webhook_id, event_id, event_type, status, reason, attempts,"
          + " next_attempt_at, last_error, created_at, updated_at";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final RequestCodec codec = new RequestCodec();

  public DeliveryStore(Database db) {
    this.db = db;
  }

  /** Filters of the deliveries list; {@code null} means any. */
  public record Filter(String webhookId, String eventId, DeliveryStatus status) {}

  public Optional<DeliveryRow> find(String accountId, String id) {
    return db.withReader(c ->
        Jdbc.first(
            c,
            "select " + COLUMNS + " from deliveries where id = ? and account_id = ?",
            DeliveryStore::row,
            id,
            accountId));
  }

  /**
   * A delivery's attempts, oldest first. An attempt's request is stored without the body it shares
   * with its delivery (every attempt sends the one rendered body); it is shown here with it.
   */
  public List<AttemptRow> attempts(String deliveryId) {
    return db.withReader(c -> {
      List<AttemptRow> out = new ArrayList<>();
      // Every row is the same delivery: its body is read once, from the first.
      String[] body = new String[1];
      Jdbc.each(
          c,
          "select a.delivery_id, a.number, a.started_at, a.duration_ms, a.outcome, a.error,"
              + " a.request, a.response, r.request, r.body from attempts a"
              + " left join delivery_requests r on r.delivery_id = a.delivery_id"
              + " where a.delivery_id = ? order by a.number",
          rs -> {
            if (out.isEmpty()) {
              body[0] = deliveryBody(rs.getString(9), rs.getString(10));
            }
            out.add(
                new AttemptRow(
                    rs.getString(1),
                    rs.getInt(2),
                    Jdbc.instant(rs, 3),
                    rs.getLong(4),
                    rs.getString(5),
                    rs.getString(6),
                    withBody(rs.getString(7), body[0]),
                    rs.getString(8)));
          },
          deliveryId);
      return out;
    });
  }

  // The body column, or for a request stored before V6 the body inside its head; null if none.
  private String deliveryBody(String head, String body) {
    if (body != null || head == null) {
      return body;
    }
    return codec.decode(new StoredRequest(head, null)).body();
  }

  // Attempts recorded before V6 hold their body; later ones hold none and get the delivery's.
  private static String withBody(String shownRequest, String body) {
    try {
      JsonNode tree = JSON.readTree(shownRequest);
      if (!(tree instanceof ObjectNode o) || o.has("body")) {
        return shownRequest;
      }
      o.put("body", body);
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored attempt is not JSON", e);
    }
  }

  /**
   * A page of an account's deliveries, newest first.
   *
   * @param afterCreatedAt with {@code afterId}, where the previous page ended ({@code null} for the
   *     first page)
   */
  public List<DeliveryRow> list(
      String accountId, Filter f, Instant afterCreatedAt, String afterId, int limit) {
    StringBuilder sql =
        new StringBuilder("select " + COLUMNS + " from deliveries where account_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(accountId);
    if (f.webhookId() != null) {
      sql.append(" and webhook_id = ?");
      params.add(f.webhookId());
    }
    if (f.eventId() != null) {
      sql.append(" and event_id = ?");
      params.add(f.eventId());
    }
    if (f.status() != null) {
      sql.append(" and status = ?");
      params.add(f.status().apiName());
    }
    if (afterCreatedAt != null) {
      sql.append(" and (created_at < ? or (created_at = ? and id < ?))");
      params.add(afterCreatedAt);
      params.add(afterCreatedAt);
      params.add(afterId);
    }
    sql.append(" order by created_at desc, id desc limit ?");
    params.add(limit);
    return db.withReader(c -> Jdbc.list(c, sql.toString(), DeliveryStore::row, params.toArray()));
  }

  /**
   * Puts a failed delivery back to pending, due now, with a fresh retry budget.
   *
   * @return false when the account has no such failed delivery
   */
  public boolean retry(String accountId, String id, Instant now) {
    return db.inTransaction(c -> {
      int retried =
          Jdbc.update(
              c,
              "update deliveries set status = 'pending', reason = null, budget_start ="
                  + " attempts, next_attempt_at = ?, version = version + 1, updated_at = ?"
                  + " where id = ? and account_id = ? and status = 'failed'"
                  + " and exists (select 1 from delivery_requests r"
                  + " where r.delivery_id = deliveries.id)",
              now,
              now,
              id,
              accountId);
      if (retried != 1) {
        return false;
      }
      // Back on the queue from the version it left with: no late outcome of an earlier claim can
      // match the claims to come.
      Jdbc.update(
          c,
          "insert into delivery_queue (delivery_id, due_at, lease_owner, version)"
              + " select id, ?, null, version from deliveries where id = ?",
          now,
          id);
      db.announceDue(c);
      return true;
    });
  }

  /** Cancels a webhook's pending deliveries (the webhook is being deleted). */
  public int cancelPending(String accountId, String webhookId, Instant now) {
    return db.inTransaction(c -> {
      // Off the queue first, as an outcome does: both lock the queue's row before the delivery's.
      Jdbc.update(
          c,
          "delete from delivery_queue where delivery_id in (select id from deliveries"
              + " where account_id = ? and webhook_id = ? and status = 'pending')",
          accountId,
          webhookId);
      return Jdbc.update(
          c,
          "update deliveries set status = 'cancelled', next_attempt_at = null,"
              + " updated_at = ? where account_id = ? and webhook_id = ?"
              + " and status = 'pending'",
          now,
          accountId,
          webhookId);
    });
  }

  /**
   * Deletes up to {@code batch} finished deliveries last changed before {@code cutoff}, with their
   * attempts, in one short transaction. Pending deliveries are never touched.
   *
   * @return how many deliveries went
   */
  public int purgeFinished(Instant cutoff, int batch) {
    return db.inTransaction(c -> {
      // By creation time, which the last change never precedes: its index is one no outcome writes
      // to. A delivery made before the cutoff and changed after it is stepped over until its last
      // change is old too.
      List<String> ids =
          Jdbc.list(
              c,
              "select id from deliveries where created_at < ? and updated_at < ?"
                  + " and status <> 'pending' order by created_at limit ?",
              rs -> rs.getString(1),
              cutoff,
              cutoff,
              batch);
      if (ids.isEmpty()) {
        return 0;
      }
      deleteWhereAnyOf(c, "attempts", "delivery_id", ids);
      deleteWhereAnyOf(c, "delivery_requests", "delivery_id", ids);
      deleteWhereAnyOf(c, "deliveries", "id", ids);
      return ids.size();
    });
  }

  private void deleteWhereAnyOf(Connection c, String table, String column, List<String> values)
      throws SQLException {
    Statements.AnyOf any = db.statements().anyOf(column, values);
    Jdbc.update(c, "delete from " + table + " where " + any.sql(), any);
  }

  /**
   * Deletes up to {@code batch} events received before {@code cutoff} that no pending delivery
   * needs any more.
   */
  public int purgeEvents(Instant cutoff, int batch) {
    return db.inTransaction(c ->
        Jdbc.update(
            c,
            "delete from events where (account_id, id) in (select e.account_id, e.id from"
                + " events e where e.received_at < ? and not exists (select 1 from"
                + " deliveries d where d.account_id = e.account_id and d.event_id = e.id"
                + " and d.status = 'pending') order by e.received_at limit ?)",
            cutoff,
            batch));
  }

  private static DeliveryRow row(ResultSet rs) throws SQLException {
    String reason = rs.getString(7);
    return new DeliveryRow(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        DeliveryStatus.fromApiName(rs.getString(6)),
        reason == null ? null : FailureReason.fromApiName(reason),
        rs.getInt(8),
        Jdbc.instantOrNull(rs, 9),
        rs.getString(10),
        Jdbc.instant(rs, 11),
        Jdbc.instant(rs, 12));
  }

  /** One bucket of a webhook's deliveries, by the status they have now. */
  public record Bucket(Instant start, int succeeded, int failed, int pending) {}

  /** A webhook's most recent delivery, for the list of webhooks. */
  public record LastDelivery(
      String id, String eventType, String status, String reason, Instant createdAt) {}

  /**
   * A webhook's deliveries created in {@code [from, from + buckets × width)}, counted per bucket by
   * the status they have now; cancelled ones are left out.
   */
  public List<Bucket> histogram(
      String accountId, String webhookId, Instant from, Duration width, int buckets) {
    long start = from.toEpochMilli();
    long w = width.toMillis();
    int[][] counts = new int[buckets][3];
    db.withReader(c -> {
      Jdbc.each(
          c,
          "select (created_at - ?) / ?, status, count(*) from deliveries"
              + " where webhook_id = ? and account_id = ? and created_at >= ?"
              + " and created_at < ? group by 1, 2",
          rs -> {
            int bucket = (int) rs.getLong(1);
            int column =
                switch (rs.getString(2)) {
                  case "succeeded" -> 0;
                  case "failed" -> 1;
                  case "pending" -> 2;
                  default -> -1;
                };
            if (column >= 0 && bucket >= 0 && bucket < buckets) {
              counts[bucket][column] += rs.getInt(3);
            }
          },
          start,
          w,
          webhookId,
          accountId,
          start,
          start + w * buckets);
      return null;
    });
    List<Bucket> out = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      out.add(
          new Bucket(
              Instant.ofEpochMilli(start + i * w), counts[i][0], counts[i][1], counts[i][2]));
    }
    return out;
  }

  /** A webhook's newest delivery, if it has any. */
  public Optional<LastDelivery> lastDelivery(String accountId, String webhookId) {
    return db.withReader(c ->
        Jdbc.first(
            c,
            "select id, event_type, status, reason, created_at from deliveries"
                + " where webhook_id = ? and account_id = ?"
                + " order by created_at desc, id desc limit 1",
            rs ->
                new LastDelivery(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    Jdbc.instant(rs, 5)),
            webhookId,
            accountId));
  }
}
