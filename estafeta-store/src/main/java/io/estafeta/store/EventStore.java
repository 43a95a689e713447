package io.estafeta.store;

import io.estafeta.core.delivery.DeliveryStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Accepted events and the deliveries they fan out to. An event and its deliveries are committed in
 * one transaction: when it returns, both are on disk.
 */
public final class EventStore implements AutoCloseable {
  // A commit takes at most this many deliveries: long enough to amortise the fsync, short enough
  // to keep the writer free for claims and outcomes.
  private static final int MAX_ROWS_PER_COMMIT = 2_000;

  private final Database db;
  private final GroupCommit<List<Ingest>, List<Ingested>> commits;

  // 6 parameters a row: well under SQLite's and PostgreSQL's limits on parameters per statement.
  private static final int EVENTS_PER_INSERT = 500;

  public EventStore(Database db) {
    this.db = db;
    this.commits =
        new GroupCommit<>(
            "estafeta-ingest",
            this::ingestTogether,
            batch -> batch.stream().mapToInt(i -> 1 + i.deliveries().size()).sum(),
            MAX_ROWS_PER_COMMIT);
  }

  /**
   * An event to store with the deliveries made for it.
   *
   * @param lease when not {@code null}, the pending deliveries are stored already held by the
   *     lease's owner, which attempts them at once without claiming them from the queue
   */
  public record Ingest(NewEvent event, List<NewDelivery> deliveries, Lease lease) {
    public Ingest(NewEvent event, List<NewDelivery> deliveries) {
      this(event, deliveries, null);
    }
  }

  /**
   * What storing came to: {@code created} false when the account had the event already, and then
   * the deliveries are the ones made the first time.
   */
  public record Ingested(String eventId, boolean created, List<DeliveryRef> deliveries) {}

  /** Stops the committer once what was submitted is written. */
  @Override
  public void close() {
    commits.close();
  }

  /** The deliveries of an event the account already has, if it has it. */
  public Optional<List<DeliveryRef>> existing(String accountId, String eventId) {
    return db.withReader(c -> existing(c, accountId, eventId));
  }

  /**
   * Stores events and their deliveries in one transaction, skipping events already stored, and
   * returns once that transaction is committed. Concurrent calls share commits.
   */
  public List<Ingested> ingest(List<Ingest> batch) {
    return commits.submit(batch);
  }

  private record EventKey(String accountId, String id) {}

  /**
   * Inserts the batch's events in one statement (one round trip, and one statement even where the
   * driver rewrites batches) and answers which were new: a conflict with an earlier event returns
   * no row.
   */
  private Set<EventKey> insertEvents(Connection c, List<Ingest> batch) throws SQLException {
    if (db.dialect() == Dialect.POSTGRESQL) {
      return insertEventsAsArrays(c, batch);
    }
    Set<EventKey> created = new HashSet<>();
    for (int from = 0; from < batch.size(); from += EVENTS_PER_INSERT) {
      List<Ingest> part = batch.subList(from, Math.min(batch.size(), from + EVENTS_PER_INSERT));
      String sql =
          "insert into events (account_id, id, type, occurred_at, data, received_at) values "
              + String.join(", ", Collections.nCopies(part.size(), "(?, ?, ?, ?, ?, ?)"))
              + " on conflict do nothing returning account_id, id";
      try (PreparedStatement event = c.prepareStatement(sql)) {
        int i = 1;
        for (Ingest in : part) {
          NewEvent e = in.event();
          event.setString(i++, e.accountId());
          event.setString(i++, e.id());
          event.setString(i++, e.type());
          event.setLong(i++, e.occurredAt().toEpochMilli());
          event.setString(i++, e.data());
          event.setLong(i++, e.receivedAt().toEpochMilli());
        }
        try (ResultSet rs = event.executeQuery()) {
          while (rs.next()) {
            created.add(new EventKey(rs.getString(1), rs.getString(2)));
          }
        }
      }
    }
    return created;
  }

  /**
   * PostgreSQL: the columns as arrays, one statement whatever the batch's size, so its plan is kept
   * rather than made again for every size.
   */
  private static Set<EventKey> insertEventsAsArrays(Connection c, List<Ingest> batch)
      throws SQLException {
    Set<EventKey> created = new HashSet<>();
    try (PreparedStatement event =
        c.prepareStatement(
            "insert into events (account_id, id, type, occurred_at, data, received_at)"
                + " select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[],"
                + " ?::text[], ?::bigint[]) on conflict do nothing returning account_id, id")) {
      ArrayColumns.bind(
          event,
          ArrayColumns.varchar(batch, in -> in.event().accountId()),
          ArrayColumns.varchar(batch, in -> in.event().id()),
          ArrayColumns.varchar(batch, in -> in.event().type()),
          ArrayColumns.int8(batch, in -> in.event().occurredAt().toEpochMilli()),
          ArrayColumns.text(batch, in -> in.event().data()),
          ArrayColumns.int8(batch, in -> in.event().receivedAt().toEpochMilli()));
      try (ResultSet rs = event.executeQuery()) {
        while (rs.next()) {
          created.add(new EventKey(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return created;
  }

  /** Several callers' batches in one transaction: each caller's answers, in order. */
  private List<List<Ingested>> ingestTogether(List<List<Ingest>> batches) {
    List<Ingest> all = batches.stream().flatMap(List::stream).toList();
    List<Ingested> answers = write(all);
    List<List<Ingested>> out = new ArrayList<>(batches.size());
    int at = 0;
    for (List<Ingest> b : batches) {
      out.add(answers.subList(at, at + b.size()));
      at += b.size();
    }
    return out;
  }

  /** A delivery's row as first stored; {@code nextAttemptAt} is null unless pending. */
  private record DeliveryInsert(
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

  /** A pending delivery's queue row: due now, or held by {@code leaseOwner} until {@code dueAt}. */
  private record QueueInsert(String deliveryId, long dueAt, String leaseOwner) {}

  private record RequestInsert(String deliveryId, String head, String body) {}

  /** The rows a batch of new events adds beside the events themselves. */
  private record Rows(
      List<DeliveryInsert> deliveries, List<RequestInsert> requests, List<QueueInsert> queued) {
    Rows() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  private List<Ingested> write(List<Ingest> batch) {
    return db.inTransaction(c -> {
      List<Ingested> out = new ArrayList<>(batch.size());
      Set<EventKey> created = insertEvents(c, batch);
      Rows rows = new Rows();
      boolean anyDue = false;
      for (Ingest in : batch) {
        NewEvent e = in.event();
        // A repeat (of an earlier event, or within the batch: only its first occurrence is new).
        if (!created.remove(new EventKey(e.accountId(), e.id()))) {
          out.add(null);
          continue;
        }
        List<DeliveryRef> refs = new ArrayList<>();
        long now = e.receivedAt().toEpochMilli();
        Lease lease = in.lease();
        for (NewDelivery d : in.deliveries()) {
          boolean pending = d.status() == DeliveryStatus.PENDING;
          rows.deliveries()
              .add(
                  new DeliveryInsert(
                      d.id(),
                      e.accountId(),
                      d.webhookId(),
                      e.id(),
                      e.type(),
                      d.status().apiName(),
                      d.reason() == null ? null : d.reason().apiName(),
                      pending ? now : null,
                      d.error(),
                      now));
          if (pending) {
            // Held from birth: due again only if the lease's owner dies before recording it.
            rows.queued()
                .add(
                    lease != null
                        ? new QueueInsert(d.id(), lease.until().toEpochMilli(), lease.owner())
                        : new QueueInsert(d.id(), now, null));
            anyDue |= lease == null;
          }
          if (d.request() != null) {
            rows.requests().add(new RequestInsert(d.id(), d.request().head(), d.request().body()));
          }
          refs.add(new DeliveryRef(d.id(), d.webhookId()));
        }
        // The same order as a repeated request gets.
        refs.sort(java.util.Comparator.comparing(DeliveryRef::id));
        out.add(new Ingested(e.id(), true, refs));
      }
      if (!rows.deliveries().isEmpty()) {
        if (db.dialect() == Dialect.POSTGRESQL) {
          insertAsArrays(c, rows);
        } else {
          insertInBatches(c, rows);
        }
        if (anyDue) {
          // Deliveries held from birth are nobody else's business.
          db.announceDue(c);
        }
      }
      // Seen before (or twice in this batch): answer what was made the first time.
      for (int k = 0; k < batch.size(); k++) {
        if (out.get(k) == null) {
          NewEvent e = batch.get(k).event();
          out.set(k, new Ingested(e.id(), false, existing(c, e.accountId(), e.id()).orElseThrow()));
        }
      }
      return out;
    });
  }

  private static final String INSERT_DELIVERY =
      "insert into deliveries (id, account_id, webhook_id, event_id, event_type, status, reason,"
          + " attempts, budget_start, next_attempt_at, version, last_error, created_at,"
          + " updated_at) ";

  /** SQLite: one JDBC batch per table, an execution per row (cheap in-process). */
  private static void insertInBatches(Connection c, Rows rows) throws SQLException {
    try (PreparedStatement delivery =
            c.prepareStatement(
                INSERT_DELIVERY + "values (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 0, ?, ?, ?)");
        PreparedStatement request =
            c.prepareStatement(
                "insert into delivery_requests (delivery_id, request, body) values (?, ?, ?)");
        PreparedStatement queued =
            c.prepareStatement(
                "insert into delivery_queue (delivery_id, due_at, lease_owner, version)"
                    + " values (?, ?, ?, 0)")) {
      for (DeliveryInsert d : rows.deliveries()) {
        delivery.setString(1, d.id());
        delivery.setString(2, d.accountId());
        delivery.setString(3, d.webhookId());
        delivery.setString(4, d.eventId());
        delivery.setString(5, d.eventType());
        delivery.setString(6, d.status());
        delivery.setString(7, d.reason());
        if (d.nextAttemptAt() == null) {
          delivery.setNull(8, Types.BIGINT);
        } else {
          delivery.setLong(8, d.nextAttemptAt());
        }
        delivery.setString(9, d.error());
        delivery.setLong(10, d.createdAt());
        delivery.setLong(11, d.createdAt());
        delivery.addBatch();
      }
      for (RequestInsert r : rows.requests()) {
        request.setString(1, r.deliveryId());
        request.setString(2, r.head());
        request.setString(3, r.body());
        request.addBatch();
      }
      for (QueueInsert q : rows.queued()) {
        queued.setString(1, q.deliveryId());
        queued.setLong(2, q.dueAt());
        queued.setString(3, q.leaseOwner());
        queued.addBatch();
      }
      delivery.executeBatch();
      if (!rows.requests().isEmpty()) {
        request.executeBatch();
      }
      if (!rows.queued().isEmpty()) {
        queued.executeBatch();
      }
    }
  }

  /**
   * PostgreSQL: one statement per table over arrays, whatever the batch's size (a batch was split
   * into multi-row inserts of power-of-two sizes, each its own statement and plan).
   */
  private static void insertAsArrays(Connection c, Rows rows) throws SQLException {
    List<DeliveryInsert> ds = rows.deliveries();
    try (PreparedStatement delivery =
        c.prepareStatement(
            INSERT_DELIVERY
                + "select id, account_id, webhook_id, event_id, event_type, status, reason, 0, 0,"
                + " next_attempt_at, 0, last_error, created_at, created_at from unnest("
                + "?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                + " ?::varchar[], ?::varchar[], ?::bigint[], ?::text[], ?::bigint[])"
                + " as x(id, account_id, webhook_id, event_id, event_type, status, reason,"
                + " next_attempt_at, last_error, created_at)")) {
      ArrayColumns.bind(
          delivery,
          ArrayColumns.varchar(ds, DeliveryInsert::id),
          ArrayColumns.varchar(ds, DeliveryInsert::accountId),
          ArrayColumns.varchar(ds, DeliveryInsert::webhookId),
          ArrayColumns.varchar(ds, DeliveryInsert::eventId),
          ArrayColumns.varchar(ds, DeliveryInsert::eventType),
          ArrayColumns.varchar(ds, DeliveryInsert::status),
          ArrayColumns.varchar(ds, DeliveryInsert::reason),
          ArrayColumns.int8(ds, DeliveryInsert::nextAttemptAt),
          ArrayColumns.text(ds, DeliveryInsert::error),
          ArrayColumns.int8(ds, DeliveryInsert::createdAt));
      delivery.executeUpdate();
    }
    List<RequestInsert> rs = rows.requests();
    if (!rs.isEmpty()) {
      try (PreparedStatement request =
          c.prepareStatement(
              "insert into delivery_requests (delivery_id, request, body)"
                  + " select * from unnest(?::varchar[], ?::text[], ?::text[])")) {
        ArrayColumns.bind(
            request,
            ArrayColumns.varchar(rs, RequestInsert::deliveryId),
            ArrayColumns.text(rs, RequestInsert::head),
            ArrayColumns.text(rs, RequestInsert::body));
        request.executeUpdate();
      }
    }
    List<QueueInsert> qs = rows.queued();
    if (!qs.isEmpty()) {
      try (PreparedStatement queued =
          c.prepareStatement(
              "insert into delivery_queue (delivery_id, due_at, lease_owner, version)"
                  + " select delivery_id, due_at, lease_owner, 0 from unnest(?::varchar[],"
                  + " ?::bigint[], ?::varchar[]) as x(delivery_id, due_at, lease_owner)")) {
        ArrayColumns.bind(
            queued,
            ArrayColumns.varchar(qs, QueueInsert::deliveryId),
            ArrayColumns.int8(qs, QueueInsert::dueAt),
            ArrayColumns.varchar(qs, QueueInsert::leaseOwner));
        queued.executeUpdate();
      }
    }
  }

  private static Optional<List<DeliveryRef>> existing(Connection c, String accountId, String id)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select 1 from events where account_id = ? and id = ?")) {
      ps.setString(1, accountId);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            // No ORDER BY: it would tempt SQLite to walk the account's whole (account, id) index
            // instead of looking the event up; the few rows are sorted here.
            "select id, webhook_id from deliveries where account_id = ? and event_id = ?")) {
      ps.setString(1, accountId);
      ps.setString(2, id);
      List<DeliveryRef> refs = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          refs.add(new DeliveryRef(rs.getString(1), rs.getString(2)));
        }
      }
      refs.sort(java.util.Comparator.comparing(DeliveryRef::id));
      return Optional.of(refs);
    }
  }

  /** The stored data of an event, as JSON text. */
  public Optional<String> data(String accountId, String id) {
    return db.withReader(c -> {
      try (PreparedStatement ps =
          c.prepareStatement("select data from events where account_id = ? and id = ?")) {
        ps.setString(1, accountId);
        ps.setString(2, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }
}
