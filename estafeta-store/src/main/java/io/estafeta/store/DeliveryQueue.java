package io.estafeta.store;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.store.internal.Jdbc;
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
  private final Statements statements;

  public DeliveryQueue(Database db) {
    this.db = db;
    this.statements = db.statements();
  }

  /** Claims up to {@code limit} due deliveries for {@code owner} until {@code leaseUntil}. */
  public List<Claimed> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    // A claim lost to a power cut loses nothing: its deliveries are due again. The outcome that
    // follows it is written durably, and with it the claim.
    return db.inTransactionNotAwaitingDisk(c -> {
      statements.planClaim(c);
      Map<String, Integer> versions = new LinkedHashMap<>();
      Jdbc.each(
          c,
          statements.claim(),
          rs -> versions.put(rs.getString(1), rs.getInt(2)),
          owner,
          leaseUntil,
          now,
          limit);
      if (versions.isEmpty()) {
        return List.of();
      }
      Statements.AnyOf ids = statements.anyOf("d.id", new ArrayList<>(versions.keySet()));
      return Jdbc.list(
          c,
          "select d.id, d.account_id, d.webhook_id, d.event_id, d.event_type, d.attempts,"
              + " d.budget_start, r.request, r.body from deliveries d"
              + " left join delivery_requests r on r.delivery_id = d.id where "
              + ids.sql(),
          rs -> {
            String id = rs.getString(1);
            String head = rs.getString(8);
            return new Claimed(
                id,
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getInt(6),
                rs.getInt(7),
                versions.get(id),
                head == null ? null : new StoredRequest(head, rs.getString(9)));
          },
          ids);
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
    return db.inTransaction(c -> {
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
      Statements.AnyOf held = statements.anyOf("delivery_id", chunk);
      extended +=
          db.inTransaction(
              c -> Jdbc.update(c, statements.extendLeases(held), leaseUntil, held, owner));
    }
    return extended;
  }

  /**
   * Makes every leased delivery due now. Only for the embedded database, where one process runs at
   * a time: at its start every lease left behind is a dead process's.
   */
  public int releaseAll(Instant now) {
    return db.inTransaction(c ->
        Jdbc.update(
            c,
            "update delivery_queue set due_at = ?, lease_owner = null,"
                + " version = version + 1 where lease_owner is not null",
            now));
  }

  /**
   * How deep the queue is: pending deliveries due now, pending ones waiting for a later time, and
   * the due time of the oldest due one.
   */
  public record Depth(long due, long waiting, Optional<Instant> oldestDue) {}

  public Depth depth(Instant now) {
    return db.withReader(c ->
        Jdbc.first(
                c,
                "select sum(case when due_at <= ? then 1 else 0 end),"
                    + " sum(case when due_at > ? then 1 else 0 end), min(due_at)"
                    + " from delivery_queue",
                rs -> {
                  long due = rs.getLong(1);
                  long waiting = rs.getLong(2);
                  Instant oldest = Jdbc.instantOrNull(rs, 3);
                  return new Depth(
                      due,
                      waiting,
                      oldest == null || due == 0 ? Optional.empty() : Optional.of(oldest));
                },
                now,
                now)
            .orElseThrow());
  }

  /** When the next pending delivery is due, if any is: how long the dispatcher may sleep. */
  public Optional<Instant> nextDue() {
    return db.withReader(c ->
        Jdbc.first(c, "select min(due_at) from delivery_queue", rs -> Jdbc.instantOrNull(rs, 1)));
  }
}
