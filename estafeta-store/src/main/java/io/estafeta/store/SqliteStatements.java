package io.estafeta.store;

import static io.estafeta.store.IngestRows.INSERT_DELIVERY;

import com.zaxxer.hikari.HikariDataSource;
import io.estafeta.store.IngestRows.EventKey;
import io.estafeta.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SQLite: one writer at a time and the database in-process, so a statement execution per row is
 * cheap and a plain subquery is already exclusive.
 */
final class SqliteStatements implements Statements {
  // 6 parameters a row: well under SQLite's limit on parameters per statement.
  private static final int EVENTS_PER_INSERT = 500;

  SqliteStatements() {}

  @Override
  public Dialect dialect() {
    return Dialect.SQLITE;
  }

  /** A table without a rowid is kept in its primary key's B-tree: one B-tree less per row. */
  @Override
  public Map<String, String> placeholders() {
    return Map.of("key_table", " without rowid", "deliveries_fill", "");
  }

  /** A setting of the (one) writer connection: {@link #restoreConnection} sets it back. */
  @Override
  public void loosenConnection(Connection c) throws SQLException {
    Jdbc.execute(c, "pragma synchronous = NORMAL");
  }

  @Override
  public void loosenTransaction(Connection c) {}

  @Override
  public void restoreConnection(Connection c) throws SQLException {
    Jdbc.execute(c, "pragma synchronous = FULL");
  }

  /** Nobody else to tell: the caller wakes its own dispatcher, the only one. */
  @Override
  public void announceDue(Connection c, String announcer) {}

  @Override
  public AutoCloseable listenForDue(HikariDataSource pool, String announcer, Runnable onDue) {
    return () -> {};
  }

  @Override
  public AnyOf anyOf(String column, List<String> values) {
    return new AnyOf(
        column + " in (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")",
        (ps, index) -> {
          int i = index;
          for (String v : values) {
            ps.setString(i++, v);
          }
          return i;
        });
  }

  /** Multi-row inserts of up to {@link #EVENTS_PER_INSERT}: a conflict returns no row. */
  @Override
  public Set<EventKey> insertEvents(Connection c, List<NewEvent> events) throws SQLException {
    Set<EventKey> created = new HashSet<>();
    for (int from = 0; from < events.size(); from += EVENTS_PER_INSERT) {
      List<NewEvent> part = events.subList(from, Math.min(events.size(), from + EVENTS_PER_INSERT));
      String sql =
          "insert into events (account_id, id, type, occurred_at, data, received_at) values "
              + String.join(", ", Collections.nCopies(part.size(), "(?, ?, ?, ?, ?, ?)"))
              + " on conflict do nothing returning account_id, id";
      Object[] params = new Object[6 * part.size()];
      int i = 0;
      for (NewEvent e : part) {
        params[i++] = e.accountId();
        params[i++] = e.id();
        params[i++] = e.type();
        params[i++] = e.occurredAt();
        params[i++] = e.data();
        params[i++] = e.receivedAt();
      }
      Jdbc.each(c, sql, rs -> created.add(new EventKey(rs.getString(1), rs.getString(2))), params);
    }
    return created;
  }

  /** One JDBC batch per table. */
  @Override
  public void insertRows(Connection c, IngestRows rows) throws SQLException {
    Jdbc.batch(
        c,
        INSERT_DELIVERY + "values (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 0, ?, ?, ?)",
        rows.deliveries,
        d ->
            new Object[] {
              d.id(),
              d.accountId(),
              d.webhookId(),
              d.eventId(),
              d.eventType(),
              d.status(),
              d.reason(),
              Jdbc.int8OrNull(d.nextAttemptAt()),
              d.error(),
              d.createdAt(),
              d.createdAt()
            });
    Jdbc.batch(
        c,
        "insert into delivery_requests (delivery_id, request, body) values (?, ?, ?)",
        rows.requests,
        r -> new Object[] {r.deliveryId(), r.head(), r.body()});
    Jdbc.batch(
        c,
        "insert into delivery_queue (delivery_id, due_at, lease_owner, version)"
            + " values (?, ?, ?, 0)",
        rows.queued,
        q -> new Object[] {q.deliveryId(), q.dueAt(), q.leaseOwner()});
  }

  @Override
  public void planClaim(Connection c) {}

  @Override
  public String claim() {
    return "update delivery_queue set lease_owner = ?, due_at = ?, version = version + 1"
        + " where delivery_id in (select delivery_id from delivery_queue"
        + " where due_at <= ? order by due_at limit ?) returning delivery_id, version";
  }

  @Override
  public String extendLeases(AnyOf ids) {
    return "update delivery_queue set due_at = ? where delivery_id in (select delivery_id"
        + " from delivery_queue where "
        + ids.sql()
        + " and lease_owner = ?)";
  }

  @Override
  public List<Completion> held(Connection c, List<Completion> putBack, List<Completion> takenOff)
      throws SQLException {
    int[] again =
        Jdbc.batch(
            c,
            "update delivery_queue set due_at = ?, lease_owner = null,"
                + " version = version + 1 where delivery_id = ? and version = ?",
            putBack,
            done ->
                new Object[] {done.nextAttemptAt(), done.claimed().id(), done.claimedVersion()});
    int[] off =
        Jdbc.batch(
            c,
            "delete from delivery_queue where delivery_id = ? and version = ?",
            takenOff,
            done -> new Object[] {done.claimed().id(), done.claimedVersion()});
    List<Completion> held = new ArrayList<>(putBack.size() + takenOff.size());
    changed(putBack, again, held);
    changed(takenOff, off, held);
    return held;
  }

  /** Adds to {@code held} the completions whose execution changed a row. */
  private static void changed(List<Completion> rows, int[] counts, List<Completion> held) {
    for (int k = 0; k < rows.size(); k++) {
      if (counts[k] != 0) {
        held.add(rows.get(k));
      }
    }
  }

  @Override
  public void record(Connection c, List<Completion> attempted) throws SQLException {
    Jdbc.batch(
        c,
        "update deliveries set status = ?, reason = ?, attempts = ?,"
            + " next_attempt_at = ?, last_error = ?, version = ?, updated_at = ?"
            + " where id = ?",
        attempted,
        done ->
            new Object[] {
              done.status().apiName(),
              done.reason() == null ? null : done.reason().apiName(),
              done.attempt().number(),
              Jdbc.millisOrNull(done.nextAttemptAt()),
              done.lastError(),
              done.claimedVersion() + 1,
              done.now(),
              done.claimed().id()
            });
    Jdbc.batch(
        c,
        "insert into attempts (delivery_id, number, started_at, duration_ms,"
            + " outcome, error, request, response) values (?, ?, ?, ?, ?, ?, ?, ?)",
        attempted.stream().map(Completion::attempt).toList(),
        a ->
            new Object[] {
              a.deliveryId(),
              a.number(),
              a.startedAt(),
              a.durationMs(),
              a.outcome(),
              a.error(),
              a.request(),
              a.response()
            });
  }
}
