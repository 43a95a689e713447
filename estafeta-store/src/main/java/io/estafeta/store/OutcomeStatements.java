package io.estafeta.store;

import static io.estafeta.store.ArrayColumns.bind;
import static io.estafeta.store.ArrayColumns.int4;
import static io.estafeta.store.ArrayColumns.int8;
import static io.estafeta.store.ArrayColumns.text;
import static io.estafeta.store.ArrayColumns.varchar;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The statements that write a batch of outcomes ({@link DeliveryQueue#complete}), inside its
 * transaction: first the queue rows of the claims that still hold, then the deliveries' next states
 * and their attempts. Both kinds write the same rows in the same id order.
 */
sealed interface OutcomeStatements {
  /** One statement execution per row, in JDBC batches: cheap where the database is in-process. */
  OutcomeStatements BATCHES = new Batches();

  /**
   * One statement per table over array parameters, whatever the batch's size (PostgreSQL): an
   * execution per row cost PostgreSQL's executor start and end for every row, two per outcome.
   */
  OutcomeStatements ARRAYS = new Arrays();

  /**
   * Puts {@code putBack} back in the queue at their next due time and takes {@code takenOff} off
   * it, each only if its claim still holds (its version); answers those that held.
   */
  List<Completion> held(Connection c, List<Completion> putBack, List<Completion> takenOff)
      throws SQLException;

  /** Writes the next state of each delivery attempted and inserts its attempt. */
  void record(Connection c, List<Completion> attempted) throws SQLException;

  final class Batches implements OutcomeStatements {
    @Override
    public List<Completion> held(Connection c, List<Completion> putBack, List<Completion> takenOff)
        throws SQLException {
      List<Completion> held = new ArrayList<>(putBack.size() + takenOff.size());
      try (PreparedStatement again =
              c.prepareStatement(
                  "update delivery_queue set due_at = ?, lease_owner = null,"
                      + " version = version + 1 where delivery_id = ? and version = ?");
          PreparedStatement off =
              c.prepareStatement(
                  "delete from delivery_queue where delivery_id = ? and version = ?")) {
        for (Completion done : putBack) {
          again.setLong(1, done.nextAttemptAt().toEpochMilli());
          again.setString(2, done.claimed().id());
          again.setInt(3, done.claimedVersion());
          again.addBatch();
        }
        for (Completion done : takenOff) {
          off.setString(1, done.claimed().id());
          off.setInt(2, done.claimedVersion());
          off.addBatch();
        }
        held(putBack, again, held);
        held(takenOff, off, held);
      }
      return held;
    }

    /** Runs {@code batch} over {@code queued}; adds to {@code held} those it changed a row of. */
    private static void held(
        List<Completion> queued, PreparedStatement batch, List<Completion> held)
        throws SQLException {
      if (queued.isEmpty()) {
        return;
      }
      int[] counts = batch.executeBatch();
      for (int k = 0; k < queued.size(); k++) {
        if (counts[k] != 0) {
          held.add(queued.get(k));
        }
      }
    }

    @Override
    public void record(Connection c, List<Completion> attempted) throws SQLException {
      try (PreparedStatement delivery =
              c.prepareStatement(
                  "update deliveries set status = ?, reason = ?, attempts = ?,"
                      + " next_attempt_at = ?, last_error = ?, version = ?, updated_at = ?"
                      + " where id = ?");
          PreparedStatement attempt =
              c.prepareStatement(
                  "insert into attempts (delivery_id, number, started_at, duration_ms,"
                      + " outcome, error, request, response) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Completion done : attempted) {
          delivery.setString(1, done.status().apiName());
          delivery.setString(2, done.reason() == null ? null : done.reason().apiName());
          delivery.setInt(3, done.attempt().number());
          if (done.nextAttemptAt() == null) {
            delivery.setNull(4, Types.BIGINT);
          } else {
            delivery.setLong(4, done.nextAttemptAt().toEpochMilli());
          }
          delivery.setString(5, done.lastError());
          delivery.setInt(6, done.claimedVersion() + 1);
          delivery.setLong(7, done.now().toEpochMilli());
          delivery.setString(8, done.claimed().id());
          delivery.addBatch();
          AttemptRow a = done.attempt();
          attempt.setString(1, a.deliveryId());
          attempt.setInt(2, a.number());
          attempt.setLong(3, a.startedAt().toEpochMilli());
          attempt.setLong(4, a.durationMs());
          attempt.setString(5, a.outcome());
          attempt.setString(6, a.error());
          attempt.setString(7, a.request());
          attempt.setString(8, a.response());
          attempt.addBatch();
        }
        delivery.executeBatch();
        attempt.executeBatch();
      }
    }
  }

  final class Arrays implements OutcomeStatements {
    private record Claim(String id, int version) {}

    @Override
    public List<Completion> held(Connection c, List<Completion> putBack, List<Completion> takenOff)
        throws SQLException {
      // Each row by its key, in the arrays' (id) order: a nested loop over the arrays is the only
      // plan. Statistics of a table that churns this fast are always stale (and absent where
      // autovacuum is off), and a hash join over a queue thought small reads all of it.
      Database.execute(
          c,
          "select set_config('enable_seqscan', 'off', true),"
              + " set_config('enable_hashjoin', 'off', true),"
              + " set_config('enable_mergejoin', 'off', true)");
      Set<Claim> stillHeld = new HashSet<>();
      if (!putBack.isEmpty()) {
        try (PreparedStatement again =
            c.prepareStatement(
                "update delivery_queue q set due_at = x.due_at, lease_owner = null,"
                    + " version = q.version + 1"
                    + " from unnest(?::varchar[], ?::int[], ?::bigint[])"
                    + " as x(delivery_id, version, due_at)"
                    + " where q.delivery_id = x.delivery_id and q.version = x.version"
                    + " returning x.delivery_id, x.version")) {
          bind(
              again,
              varchar(putBack, done -> done.claimed().id()),
              int4(putBack, Completion::claimedVersion),
              int8(putBack, done -> done.nextAttemptAt().toEpochMilli()));
          collect(again, stillHeld);
        }
      }
      if (!takenOff.isEmpty()) {
        try (PreparedStatement off =
            c.prepareStatement(
                "delete from delivery_queue q"
                    + " using unnest(?::varchar[], ?::int[]) as x(delivery_id, version)"
                    + " where q.delivery_id = x.delivery_id and q.version = x.version"
                    + " returning x.delivery_id, x.version")) {
          bind(
              off,
              varchar(takenOff, done -> done.claimed().id()),
              int4(takenOff, Completion::claimedVersion));
          collect(off, stillHeld);
        }
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

    private static void collect(PreparedStatement ps, Set<Claim> into) throws SQLException {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(new Claim(rs.getString(1), rs.getInt(2)));
        }
      }
    }

    @Override
    public void record(Connection c, List<Completion> attempted) throws SQLException {
      try (PreparedStatement delivery =
          c.prepareStatement(
              "update deliveries d set status = x.status, reason = x.reason,"
                  + " attempts = x.attempts, next_attempt_at = x.next_attempt_at,"
                  + " last_error = x.last_error, version = x.version, updated_at = x.updated_at"
                  + " from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int[],"
                  + " ?::bigint[], ?::text[], ?::int[], ?::bigint[]) as x(id, status, reason,"
                  + " attempts, next_attempt_at, last_error, version, updated_at)"
                  + " where d.id = x.id")) {
        bind(
            delivery,
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
        delivery.executeUpdate();
      }
      try (PreparedStatement attempt =
          c.prepareStatement(
              "insert into attempts (delivery_id, number, started_at, duration_ms, outcome,"
                  + " error, request, response) select * from unnest(?::varchar[], ?::int[],"
                  + " ?::bigint[], ?::bigint[], ?::varchar[], ?::text[], ?::text[], ?::text[])")) {
        List<AttemptRow> attempts = attempted.stream().map(Completion::attempt).toList();
        bind(
            attempt,
            varchar(attempts, AttemptRow::deliveryId),
            int4(attempts, AttemptRow::number),
            int8(attempts, a -> a.startedAt().toEpochMilli()),
            int8(attempts, AttemptRow::durationMs),
            varchar(attempts, AttemptRow::outcome),
            text(attempts, AttemptRow::error),
            text(attempts, AttemptRow::request),
            text(attempts, AttemptRow::response));
        attempt.executeUpdate();
      }
    }
  }
}
