package io.estafeta.store;

import static io.estafeta.store.IngestRows.INSERT_DELIVERY;
import static io.estafeta.store.internal.ArrayColumns.int4;
import static io.estafeta.store.internal.ArrayColumns.int8;
import static io.estafeta.store.internal.ArrayColumns.text;
import static io.estafeta.store.internal.ArrayColumns.varchar;

import com.zaxxer.hikari.HikariDataSource;
import io.estafeta.store.IngestRows.EventKey;
import io.estafeta.store.internal.ArrayColumns;
import io.estafeta.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL: a batch is one statement over array parameters (see {@link ArrayColumns}), whatever
 * its size, and nodes claiming at once skip each other's rows rather than wait for them.
 */
final class PostgresStatements implements Statements {
  /** The channel a commit that makes deliveries due is announced on. */
  static final String DUE_CHANNEL = "estafeta_due";

  // Each row by its key, in the arrays' (id) order: a nested loop over the arrays is the only plan.
  // The statistics of a table that churns this fast are always stale (absent where autovacuum is
  // off), and a hash join over a queue thought small reads all of it.
  private static final String BY_KEY_ONLY =
      "select set_config('enable_seqscan', 'off', true),"
          + " set_config('enable_hashjoin', 'off', true),"
          + " set_config('enable_mergejoin', 'off', true)";

  // A claim reads at most its limit of rows, each by an index or its address: without sorts and
  // sequential scans that is the only plan, whatever stale statistics say.
  private static final String INDEX_ONLY =
      "select set_config('enable_sort', 'off', true),"
          + " set_config('enable_seqscan', 'off', true)";

  PostgresStatements() {}

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  /** Room in each page of deliveries for its rows' next versions (new pages only). */
  @Override
  public Map<String, String> placeholders() {
    return Map.of(
        "key_table", "", "deliveries_fill", "alter table deliveries set (fillfactor = 85);");
  }

  @Override
  public void loosenConnection(Connection c) {}

  /** A setting of this transaction only. */
  @Override
  public void loosenTransaction(Connection c) throws SQLException {
    Jdbc.execute(c, "set local synchronous_commit to off");
  }

  @Override
  public void restoreConnection(Connection c) {}

  @Override
  public void announceDue(Connection c, String announcer) throws SQLException {
    // The payload is hex: nothing in it needs quoting.
    Jdbc.execute(c, "notify " + DUE_CHANNEL + ", '" + announcer + "'");
  }

  @Override
  public AutoCloseable listenForDue(HikariDataSource pool, String announcer, Runnable onDue) {
    return DueListener.start(pool, DUE_CHANNEL, announcer, onDue);
  }

  /** One array parameter: the statement is the same whatever the count, and its plan is kept. */
  @Override
  public AnyOf anyOf(String column, List<String> values) {
    return new AnyOf(column + " = any(?)", new ArrayColumns.Column("varchar", values.toArray()));
  }

  /** One statement whatever the batch's size: a conflict returns no row. */
  @Override
  public Set<EventKey> insertEvents(Connection c, List<NewEvent> events) throws SQLException {
    Set<EventKey> created = new HashSet<>();
    Jdbc.each(
        c,
        "insert into events (account_id, id, type, occurred_at, data, received_at)"
            + " select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[],"
            + " ?::text[], ?::bigint[]) on conflict do nothing returning account_id, id",
        rs -> created.add(new EventKey(rs.getString(1), rs.getString(2))),
        varchar(events, NewEvent::accountId),
        varchar(events, NewEvent::id),
        varchar(events, NewEvent::type),
        int8(events, e -> e.occurredAt().toEpochMilli()),
        text(events, NewEvent::data),
        int8(events, e -> e.receivedAt().toEpochMilli()));
    return created;
  }

  /** One statement per table. */
  @Override
  public void insertRows(Connection c, IngestRows rows) throws SQLException {
    List<IngestRows.Delivery> ds = rows.deliveries;
    Jdbc.update(
        c,
        INSERT_DELIVERY
            + "select id, account_id, webhook_id, event_id, event_type, status, reason, 0, 0,"
            + " next_attempt_at, 0, last_error, created_at, created_at from unnest("
            + "?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
            + " ?::varchar[], ?::varchar[], ?::bigint[], ?::text[], ?::bigint[])"
            + " as x(id, account_id, webhook_id, event_id, event_type, status, reason,"
            + " next_attempt_at, last_error, created_at)",
        varchar(ds, IngestRows.Delivery::id),
        varchar(ds, IngestRows.Delivery::accountId),
        varchar(ds, IngestRows.Delivery::webhookId),
        varchar(ds, IngestRows.Delivery::eventId),
        varchar(ds, IngestRows.Delivery::eventType),
        varchar(ds, IngestRows.Delivery::status),
        varchar(ds, IngestRows.Delivery::reason),
        int8(ds, IngestRows.Delivery::nextAttemptAt),
        text(ds, IngestRows.Delivery::error),
        int8(ds, IngestRows.Delivery::createdAt));
    List<IngestRows.Request> rs = rows.requests;
    if (!rs.isEmpty()) {
      Jdbc.update(
          c,
          "insert into delivery_requests (delivery_id, request, body)"
              + " select * from unnest(?::varchar[], ?::text[], ?::text[])",
          varchar(rs, IngestRows.Request::deliveryId),
          text(rs, IngestRows.Request::head),
          text(rs, IngestRows.Request::body));
    }
    List<IngestRows.Queued> qs = rows.queued;
    if (!qs.isEmpty()) {
      Jdbc.update(
          c,
          "insert into delivery_queue (delivery_id, due_at, lease_owner, version)"
              + " select delivery_id, due_at, lease_owner, 0 from unnest(?::varchar[],"
              + " ?::bigint[], ?::varchar[]) as x(delivery_id, due_at, lease_owner)",
          varchar(qs, IngestRows.Queued::deliveryId),
          int8(qs, IngestRows.Queued::dueAt),
          varchar(qs, IngestRows.Queued::leaseOwner));
    }
  }

  @Override
  public void planClaim(Connection c) throws SQLException {
    Jdbc.execute(c, INDEX_ONLY);
  }

  /**
   * Rows another node is claiming right now are skipped, not waited for, and the rows picked are
   * updated by their physical address: a plan the same whatever the table's size. A row another
   * transaction changed after the statement began is locked but not updated, so not claimed.
   */
  @Override
  public String claim() {
    return "update delivery_queue set lease_owner = ?, due_at = ?, version = version + 1"
        + " where ctid = any(array(select ctid from delivery_queue where due_at <= ?"
        + " order by due_at limit ? for update skip locked)) returning delivery_id, version";
  }

  /** Rows an outcome is writing are skipped: the heartbeat never waits on this node's outcomes. */
  @Override
  public String extendLeases(AnyOf ids) {
    return "update delivery_queue set due_at = ? where delivery_id in (select delivery_id"
        + " from delivery_queue where "
        + ids.sql()
        + " and lease_owner = ? for update skip locked)";
  }

  private record Claim(String id, int version) {}

  @Override
  public List<Completion> held(Connection c, List<Completion> putBack, List<Completion> takenOff)
      throws SQLException {
    Jdbc.execute(c, BY_KEY_ONLY);
    Set<Claim> stillHeld = new HashSet<>();
    Jdbc.Each collect = rs -> stillHeld.add(new Claim(rs.getString(1), rs.getInt(2)));
    if (!putBack.isEmpty()) {
      Jdbc.each(
          c,
          "update delivery_queue q set due_at = x.due_at, lease_owner = null,"
              + " version = q.version + 1"
              + " from unnest(?::varchar[], ?::int[], ?::bigint[])"
              + " as x(delivery_id, version, due_at)"
              + " where q.delivery_id = x.delivery_id and q.version = x.version"
              + " returning x.delivery_id, x.version",
          collect,
          varchar(putBack, done -> done.claimed().id()),
          int4(putBack, Completion::claimedVersion),
          int8(putBack, done -> done.nextAttemptAt().toEpochMilli()));
    }
    if (!takenOff.isEmpty()) {
      Jdbc.each(
          c,
          "delete from delivery_queue q"
              + " using unnest(?::varchar[], ?::int[]) as x(delivery_id, version)"
              + " where q.delivery_id = x.delivery_id and q.version = x.version"
              + " returning x.delivery_id, x.version",
          collect,
          varchar(takenOff, done -> done.claimed().id()),
          int4(takenOff, Completion::claimedVersion));
    }
    List<Completion> held = new ArrayList<>(stillHeld.size());
    for (List<Completion> part : List.of(putBack, takenOff)) {
      for (Completion done : part) {
        if (stillHeld.contains(new Claim(done.claimed().id(), done.claimedVersion()))) {
          held.add(done);
        }
      }
    }
    return held;
  }

  @Override
  public void record(Connection c, List<Completion> attempted) throws SQLException {
    Jdbc.update(
        c,
        "update deliveries d set status = x.status, reason = x.reason,"
            + " attempts = x.attempts, next_attempt_at = x.next_attempt_at,"
            + " last_error = x.last_error, version = x.version, updated_at = x.updated_at"
            + " from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int[],"
            + " ?::bigint[], ?::text[], ?::int[], ?::bigint[]) as x(id, status, reason,"
            + " attempts, next_attempt_at, last_error, version, updated_at)"
            + " where d.id = x.id",
        varchar(attempted, done -> done.claimed().id()),
        varchar(attempted, done -> done.status().apiName()),
        varchar(attempted, done -> done.reason() == null ? null : done.reason().apiName()),
        int4(attempted, done -> done.attempt().number()),
        int8(
            attempted,
            done -> done.nextAttemptAt() == null ? null : done.nextAttemptAt().toEpochMilli()),
        text(attempted, Completion::lastError),
        int4(attempted, done -> done.claimedVersion() + 1),
        int8(attempted, done -> done.now().toEpochMilli()));
    List<AttemptRow> attempts = attempted.stream().map(Completion::attempt).toList();
    Jdbc.update(
        c,
        "insert into attempts (delivery_id, number, started_at, duration_ms, outcome,"
            + " error, request, response) select * from unnest(?::varchar[], ?::int[],"
            + " ?::bigint[], ?::bigint[], ?::varchar[], ?::text[], ?::text[], ?::text[])",
        varchar(attempts, AttemptRow::deliveryId),
        int4(attempts, AttemptRow::number),
        int8(attempts, a -> a.startedAt().toEpochMilli()),
        int8(attempts, AttemptRow::durationMs),
        varchar(attempts, AttemptRow::outcome),
        text(attempts, AttemptRow::error),
        text(attempts, AttemptRow::request),
        text(attempts, AttemptRow::response));
  }
}
