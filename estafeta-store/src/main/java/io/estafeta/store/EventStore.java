package io.estafeta.store;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.store.IngestRows.EventKey;
import io.estafeta.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
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
  private final Statements statements;
  private final GroupCommit<List<Ingest>, List<Ingested>> commits;

  public EventStore(Database db) {
    this.db = db;
    this.statements = db.statements();
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

  /**
   * The events in one statement (one round trip), then the rows of the new ones, then what the
   * repeated ones were given the first time.
   */
  private List<Ingested> write(List<Ingest> batch) {
    return db.inTransaction(c -> {
      Set<EventKey> created =
          statements.insertEvents(c, batch.stream().map(Ingest::event).toList());
      IngestRows rows = new IngestRows();
      List<Ingested> out = new ArrayList<>(batch.size());
      for (Ingest in : batch) {
        NewEvent e = in.event();
        // A repeat (of an earlier event, or within the batch: only its first occurrence is new).
        out.add(created.remove(new EventKey(e.accountId(), e.id())) ? add(in, rows) : null);
      }
      if (!rows.deliveries.isEmpty()) {
        statements.insertRows(c, rows);
        if (rows.anyDue) {
          // Deliveries held from birth are nobody else's business.
          db.announceDue(c);
        }
      }
      for (int k = 0; k < batch.size(); k++) {
        if (out.get(k) == null) {
          NewEvent e = batch.get(k).event();
          out.set(k, new Ingested(e.id(), false, existing(c, e.accountId(), e.id()).orElseThrow()));
        }
      }
      return out;
    });
  }

  /** Adds a new event's rows; answers what storing it comes to. */
  private static Ingested add(Ingest in, IngestRows rows) {
    NewEvent e = in.event();
    List<DeliveryRef> refs = new ArrayList<>();
    long now = e.receivedAt().toEpochMilli();
    Lease lease = in.lease();
    for (NewDelivery d : in.deliveries()) {
      boolean pending = d.status() == DeliveryStatus.PENDING;
      rows.deliveries.add(
          new IngestRows.Delivery(
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
        rows.queued.add(
            lease != null
                ? new IngestRows.Queued(d.id(), lease.until().toEpochMilli(), lease.owner())
                : new IngestRows.Queued(d.id(), now, null));
        rows.anyDue |= lease == null;
      }
      if (d.request() != null) {
        rows.requests.add(new IngestRows.Request(d.id(), d.request().head(), d.request().body()));
      }
      refs.add(new DeliveryRef(d.id(), d.webhookId()));
    }
    // The same order as a repeated request gets.
    refs.sort(Comparator.comparing(DeliveryRef::id));
    return new Ingested(e.id(), true, refs);
  }

  private static Optional<List<DeliveryRef>> existing(Connection c, String accountId, String id)
      throws SQLException {
    if (Jdbc.first(
            c, "select 1 from events where account_id = ? and id = ?", rs -> 1, accountId, id)
        .isEmpty()) {
      return Optional.empty();
    }
    // No ORDER BY: it would tempt SQLite to walk the account's whole (account, id) index instead
    // of looking the event up; the few rows are sorted here.
    List<DeliveryRef> refs =
        Jdbc.list(
            c,
            "select id, webhook_id from deliveries where account_id = ? and event_id = ?",
            rs -> new DeliveryRef(rs.getString(1), rs.getString(2)),
            accountId,
            id);
    refs.sort(Comparator.comparing(DeliveryRef::id));
    return Optional.of(refs);
  }

  /** The stored data of an event, as JSON text. */
  public Optional<String> data(String accountId, String id) {
    return db.withReader(c ->
        Jdbc.first(
            c,
            "select data from events where account_id = ? and id = ?",
            rs -> rs.getString(1),
            accountId,
            id));
  }
}
