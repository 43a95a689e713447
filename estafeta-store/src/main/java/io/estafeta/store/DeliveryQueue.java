package io.estafeta.store;

import io.estafeta.core.delivery.DeliveryStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queue of pending deliveries (the table {@code delivery_queue}, one narrow row per pending
 * delivery). A claim moves a due delivery's due time to the end of its lease, in one statement:
 * while the worker holds it nobody else sees it as due, and if the worker dies the lease simply
 * expires and the delivery is due again — the dead-worker sweep is the claim itself. An outcome
 * writes only if the claim's version still holds; a final one takes the delivery off the queue.
 */
public final class DeliveryQueue {
  private static final int EXTEND_CHUNK = 500;

  private final Database db;
  private final String claimSql;
  private final String lock;

  public DeliveryQueue(Database db) {
    this.db = db;
    // PostgreSQL: rows another node is claiming right now are skipped, not waited for, and the rows
    // picked are updated by their physical address: a plan the same whatever the table's size
    // (joining back by key let the planner scan a small table whole, and walk the big one's key). A
    // row another transaction changed after the statement began is locked but not updated, so not
    // claimed: it stays due. SQLite has one writer at a time, so the plain subquery is already
    // exclusive.
    String lock = db.dialect() == Dialect.POSTGRESQL ? " for update skip locked" : "";
    String set =
        "update delivery_queue set lease_owner = ?, due_at = ?, version = version + 1 where ";
    String due = " from delivery_queue where due_at <= ? order by due_at limit ?";
    String returning = " returning delivery_id, version";
    this.claimSql =
        db.dialect() == Dialect.POSTGRESQL
            ? set + "ctid = any(array(select ctid" + due + lock + "))" + returning
            : set + "delivery_id in (select delivery_id" + due + ")" + returning;
    this.lock = lock;
  }

  /** Claims up to {@code limit} due deliveries for {@code owner} until {@code leaseUntil}. */
  public List<Claimed> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    // A claim lost to a power cut loses nothing: its deliveries are due again. The outcome that
    // follows it is written durably, and with it the claim.
    return db.inTransactionNotAwaitingDisk(c -> {
      if (db.dialect() == Dialect.POSTGRESQL) {
        // The planner's statistics of tables that churn this fast are always stale, and none at all
        // where autovacuum is off. Expecting few due rows where thousands are, it preferred
        // fetching them all and sorting to walking the due-time index and stopping at the limit;
        // expecting a small table, it scanned the whole queue for the rows picked (not by their
        // address) and the whole deliveries table for their ids (not by key): 0.5 s a claim after
        // 200,000 deliveries. A claim reads at most its limit of rows, each by an index or its
        // address: without sorts and sequential scans that is the only plan.
        Database.execute(
            c,
            "select set_config('enable_sort', 'off', true),"
                + " set_config('enable_seqscan', 'off', true)");
      }
      // The claim, then what the claimed deliveries are and their requests.
      Map<String, Integer> versions = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(claimSql)) {
        ps.setString(1, owner);
        ps.setLong(2, leaseUntil.toEpochMilli());
        ps.setLong(3, now.toEpochMilli());
        ps.setInt(4, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            versions.put(rs.getString(1), rs.getInt(2));
          }
        }
      }
      if (versions.isEmpty()) {
        return List.of();
      }
      List<String> ids = new ArrayList<>(versions.keySet());
      List<Claimed> out = new ArrayList<>(ids.size());
      try (PreparedStatement ps =
          c.prepareStatement(
              "select d.id, d.account_id, d.webhook_id, d.event_id, d.event_type, d.attempts,"
                  + " d.budget_start, r.request, r.body from deliveries d"
                  + " left join delivery_requests r on r.delivery_id = d.id where "
                  + db.anyOf("d.id", ids.size()))) {
        db.bindAnyOf(ps, 1, ids);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String id = rs.getString(1);
            String head = rs.getString(8);
            out.add(
                new Claimed(
                    id,
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getInt(6),
                    rs.getInt(7),
                    versions.get(id),
                    head == null ? null : new StoredRequest(head, rs.getString(9))));
          }
        }
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
    // Rows are locked in id order, by every writer: queue rows put back first, then those taken
    // off, then the deliveries. Two batches wait on each other only over claims one of them lost,
    // and the loser's deadlock error rolls back its transaction, which is written again.
    List<Completion> ordered = new ArrayList<>(completions);
    ordered.sort(Comparator.comparing(done -> done.claimed().id()));
    List<Completion> putBack = new ArrayList<>();
    List<Completion> takenOff = new ArrayList<>();
    for (Completion done : ordered) {
      (done.status() == DeliveryStatus.PENDING ? putBack : takenOff).add(done);
    }
    OutcomeStatements statements =
        db.dialect() == Dialect.POSTGRESQL ? OutcomeStatements.ARRAYS : OutcomeStatements.BATCHES;
    return db.inTransaction(c -> {
      // A claim lost to another worker, whose outcome stands, is left out: nothing of it is
      // written.
      List<Completion> held = statements.held(c, putBack, takenOff);
      held.sort(Comparator.comparing(done -> done.claimed().id()));
      // Given back unattempted: due again later, nothing to record.
      List<Completion> attempted = held.stream().filter(done -> !done.isDeferral()).toList();
      if (!attempted.isEmpty()) {
        statements.record(c, attempted);
      }
      return held.size();
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
          "update delivery_queue set due_at = ? where delivery_id in (select delivery_id"
              + " from delivery_queue where "
              + db.anyOf("delivery_id", chunk.size())
              + " and lease_owner = ?"
              + lock
              + ")";
      extended +=
          db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              int i = 1;
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
              "update delivery_queue set due_at = ?, lease_owner = null,"
                  + " version = version + 1 where lease_owner is not null")) {
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
              "select sum(case when due_at <= ? then 1 else 0 end),"
                  + " sum(case when due_at > ? then 1 else 0 end), min(due_at)"
                  + " from delivery_queue")) {
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
      try (PreparedStatement ps = c.prepareStatement("select min(due_at) from delivery_queue");
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
