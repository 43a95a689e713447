package io.estafeta.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deliveries table as a queue. A claim moves a due delivery's due time to the end of its lease,
 * in one statement: while the worker holds it nobody else sees it as due, and if the worker dies
 * the lease simply expires and the delivery is due again — the dead-worker sweep is the claim
 * itself. Completion writes only if the claim's version still holds.
 */
public final class DeliveryQueue {
  private static final String RETURNING =
      " returning id, account_id, webhook_id, event_id, event_type, attempts, budget_start,"
          + " version";

  private static final int EXTEND_CHUNK = 500;

  private final Database db;
  private final String claimSql;
  private final String lock;

  public DeliveryQueue(Database db) {
    this.db = db;
    // PostgreSQL: rows another node is claiming right now are skipped, not waited for, and the rows
    // picked are updated by their physical address: a plan the same whatever the table's size
    // (joining back by id let the planner scan a small table whole, and walk the big one's key). A
    // row another transaction changed after the statement began is locked but not updated, so not
    // claimed: it stays due. SQLite has one writer at a time, so the plain subquery is already
    // exclusive.
    String lock = db.dialect() == Dialect.POSTGRESQL ? " for update skip locked" : "";
    String set =
        "update deliveries set lease_owner = ?, lease_until = ?, next_attempt_at = ?,"
            + " version = version + 1 where ";
    String due =
        " from deliveries where status = 'pending' and next_attempt_at <= ?"
            + " order by next_attempt_at limit ?";
    this.claimSql =
        db.dialect() == Dialect.POSTGRESQL
            ? set + "ctid = any(array(select ctid" + due + lock + "))" + RETURNING
            : set + "id in (select id" + due + ")" + RETURNING;
    this.lock = lock;
  }

  /** Claims up to {@code limit} due deliveries for {@code owner} until {@code leaseUntil}. */
  public List<Claimed> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    // A claim lost to a power cut loses nothing: its deliveries are due again. The outcome that
    // follows it is written durably, and with it the claim.
    return db.inTransactionNotAwaitingDisk(c -> {
      if (db.dialect() == Dialect.POSTGRESQL) {
        // The planner multiplies the share of pending rows by the share with a due time (the same
        // rows), so it expects a few due where thousands are, and then prefers fetching them all
        // and sorting to walking the due-time index and stopping at the limit: every claim sorted
        // the whole backlog. Without sorts the index order is the only plan.
        Database.execute(c, "set local enable_sort = off");
      }
      // The claim, then the claimed deliveries' requests (kept in a table of their own).
      List<Claimed> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(claimSql)) {
        ps.setString(1, owner);
        ps.setLong(2, leaseUntil.toEpochMilli());
        ps.setLong(3, leaseUntil.toEpochMilli());
        ps.setLong(4, now.toEpochMilli());
        ps.setInt(5, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(
                new Claimed(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getInt(6),
                    rs.getInt(7),
                    rs.getInt(8),
                    null));
          }
        }
      }
      if (rows.isEmpty()) {
        return List.of();
      }
      Map<String, StoredRequest> requests = new HashMap<>(rows.size() * 2);
      try (PreparedStatement ps =
          c.prepareStatement(
              "select delivery_id, request, body from delivery_requests where "
                  + db.anyOf("delivery_id", rows.size()))) {
        db.bindAnyOf(ps, 1, rows.stream().map(Claimed::id).toList());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            requests.put(rs.getString(1), new StoredRequest(rs.getString(2), rs.getString(3)));
          }
        }
      }
      List<Claimed> out = new ArrayList<>(rows.size());
      for (Claimed r : rows) {
        out.add(r.withRequest(requests.get(r.id())));
      }
      return out;
    });
  }

  /**
   * Records attempts and the next states, all in one transaction. A completion whose claim was lost
   * (the lease expired and another worker took the delivery) is left out: the other worker's
   * outcome stands.
   *
   * @return how many completions were written
   */
  public int complete(List<Completion> completions) {
    if (completions.isEmpty()) {
      return 0;
    }
    return db.inTransaction(c -> {
      int written = 0;
      int recorded = 0;
      try (PreparedStatement update =
              c.prepareStatement(
                  "update deliveries set status = ?, reason = ?, attempts = ?,"
                      + " next_attempt_at = ?, last_error = ?, lease_owner = null,"
                      + " lease_until = null, version = version + 1, updated_at = ?"
                      + " where id = ? and version = ?");
          PreparedStatement defer =
              c.prepareStatement(
                  "update deliveries set next_attempt_at = ?, lease_owner = null,"
                      + " lease_until = null, version = version + 1 where id = ? and version = ?");
          PreparedStatement attempt =
              c.prepareStatement(
                  "insert into attempts (delivery_id, number, started_at, duration_ms,"
                      + " outcome, error, request, response) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
        // Rows are locked in id order, put-backs first, then attempts, by every writer: two
        // batches wait on each other only over claims one of them lost, and the loser's deadlock
        // error rolls back its transaction, which is written again.
        List<Completion> ordered = new ArrayList<>(completions);
        ordered.sort(Comparator.comparing(done -> done.claimed().id()));
        List<Completion> attempted = new ArrayList<>(ordered.size());
        boolean deferrals = false;
        for (Completion done : ordered) {
          if (done.isDeferral()) {
            // Given back unattempted: due again later, no attempt to record.
            defer.setLong(1, done.nextAttemptAt().toEpochMilli());
            defer.setString(2, done.claimed().id());
            defer.setInt(3, done.claimedVersion());
            defer.addBatch();
            deferrals = true;
            continue;
          }
          update.setString(1, done.status().apiName());
          update.setString(2, done.reason() == null ? null : done.reason().apiName());
          update.setInt(3, done.attempt().number());
          if (done.nextAttemptAt() == null) {
            update.setNull(4, Types.BIGINT);
          } else {
            update.setLong(4, done.nextAttemptAt().toEpochMilli());
          }
          update.setString(5, done.lastError());
          update.setLong(6, done.now().toEpochMilli());
          update.setString(7, done.claimed().id());
          update.setInt(8, done.claimedVersion());
          update.addBatch();
          attempted.add(done);
        }
        if (deferrals) {
          for (int count : defer.executeBatch()) {
            written += count;
          }
        }
        // One round trip for the updates; a count of 0 is a claim lost to another worker, whose
        // outcome stands, so its attempt is not recorded here.
        int[] counts = attempted.isEmpty() ? new int[0] : update.executeBatch();
        for (int k = 0; k < attempted.size(); k++) {
          if (counts[k] == 0) {
            continue;
          }
          AttemptRow a = attempted.get(k).attempt();
          attempt.setString(1, a.deliveryId());
          attempt.setInt(2, a.number());
          attempt.setLong(3, a.startedAt().toEpochMilli());
          attempt.setLong(4, a.durationMs());
          attempt.setString(5, a.outcome());
          attempt.setString(6, a.error());
          attempt.setString(7, a.request());
          attempt.setString(8, a.response());
          attempt.addBatch();
          recorded++;
          written++;
        }
        if (recorded > 0) {
          attempt.executeBatch();
        }
      }
      return written;
    });
  }

  /**
   * The heartbeat: extends the leases {@code owner} still holds on {@code ids} (the deliveries it
   * claimed and has not recorded yet), so work that waits its turn on a busy node is not taken by
   * another. The version is left alone: a lease extended is the same claim.
   */
  public int extendLeases(String owner, Collection<String> ids, Instant leaseUntil) {
    List<String> sorted = new ArrayList<>(ids);
    // One lock order for every writer (see complete).
    Collections.sort(sorted);
    int extended = 0;
    for (int from = 0; from < sorted.size(); from += EXTEND_CHUNK) {
      List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + EXTEND_CHUNK));
      // Rows a completion is writing right now are skipped, not waited for: the heartbeat never
      // waits on (or deadlocks with) this node's own outcome writes.
      String sql =
          "update deliveries set next_attempt_at = ?, lease_until = ?"
              + " where id in (select id from deliveries where "
              + db.anyOf("id", chunk.size())
              + " and lease_owner = ? and status = 'pending'"
              + lock
              + ")";
      extended +=
          db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              int i = 1;
              ps.setLong(i++, leaseUntil.toEpochMilli());
              ps.setLong(i++, leaseUntil.toEpochMilli());
              i = db.bindAnyOf(ps, i, chunk);
              ps.setString(i, owner);
              return ps.executeUpdate();
            }
          });
    }
    return extended;
  }

  /**
   * Makes every leased delivery due now. Only for the embedded database, where one process runs at
   * a time: at its start every lease left behind is a dead process's.
   */
  public int releaseAll(Instant now) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "update deliveries set next_attempt_at = ?, lease_owner = null,"
                  + " lease_until = null, version = version + 1"
                  + " where status = 'pending' and lease_owner is not null")) {
        ps.setLong(1, now.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  /**
   * How deep the queue is: pending deliveries due now, pending ones waiting for a later time, and
   * the due time of the oldest due one.
   */
  public record Depth(long due, long waiting, Optional<Instant> oldestDue) {}

  public Depth depth(Instant now) {
    return db.withReader(c -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "select sum(case when next_attempt_at <= ? then 1 else 0 end),"
                  + " sum(case when next_attempt_at > ? then 1 else 0 end),"
                  + " min(next_attempt_at) from deliveries where status = 'pending'")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setLong(2, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long due = rs.getLong(1);
          long waiting = rs.getLong(2);
          long oldest = rs.getLong(3);
          boolean none = rs.wasNull();
          return new Depth(
              due,
              waiting,
              none || due == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest)));
        }
      }
    });
  }

  /** When the next pending delivery is due, if any is: how long the dispatcher may sleep. */
  public Optional<Instant> nextDue() {
    return db.withReader(c -> {
      try (PreparedStatement ps =
              c.prepareStatement(
                  "select min(next_attempt_at) from deliveries where status = 'pending'");
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long v = rs.getLong(1);
          return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
        }
        return Optional.empty();
      }
    });
  }
}
