package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.FailureReason;
import io.estafeta.core.secret.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Claims and the heartbeat's lease extension, on a fresh SQLite file and on a fresh schema of the
 * local PostgreSQL (skipped when it is not reachable outside CI).
 */
class DeliveryQueueTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(3);

  Database db;
  PostgresSchema schema;
  DeliveryQueue queue;
  List<String> ids;
  String accountId;

  void open(String kind) throws Exception {
    if (kind.equals("sqlite")) {
      Path dir = Files.createTempDirectory("delivery-queue");
      db = Database.sqlite(dir.resolve("estafeta.db"));
    } else {
      schema = PostgresSchema.create("dq");
      db = schema.open();
    }
    queue = new DeliveryQueue(db);
    accountId = new AccountStore(db).create("Clínica Sur", T0).account().id();
    ids = List.of(Tokens.sortableId("dlv"), Tokens.sortableId("dlv"), Tokens.sortableId("dlv"));
    try (EventStore events = new EventStore(db)) {
      events.ingest(
          List.of(
              new EventStore.Ingest(
                  new NewEvent(accountId, "evt-1", "call.created", T0, "{}", T0),
                  ids.stream()
                      .map(id ->
                          new NewDelivery(
                              id,
                              "wh_1",
                              DeliveryStatus.PENDING,
                              null,
                              new StoredRequest("{}", null),
                              null))
                      .toList())));
    }
  }

  @AfterEach
  void close() throws SQLException {
    if (db != null) {
      db.close();
    }
    if (schema != null) {
      schema.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void sortableIdsAreInCreationOrder(String kind) throws Exception {
    open(kind);
    assertThat(ids).isSorted();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void theHeartbeatKeepsOnlyTheLeasesItNamesAndOwns(String kind) throws Exception {
    open(kind);
    List<Claimed> claimed = queue.claim("node-a", T0, T0.plus(LEASE), 10);
    assertThat(claimed).extracting(Claimed::id).containsExactlyInAnyOrderElementsOf(ids);

    // Another node names the same ids: it holds none of them, nothing is extended.
    assertThat(queue.extendLeases("node-b", ids, T0.plus(Duration.ofMinutes(10)))).isZero();
    // node-a keeps two of its three.
    assertThat(queue.extendLeases("node-a", ids.subList(0, 2), T0.plus(Duration.ofMinutes(10))))
        .isEqualTo(2);

    // After the first lease ran out only the delivery not kept is due for another node.
    Instant later = T0.plus(LEASE).plusSeconds(1);
    assertThat(queue.claim("node-b", later, later.plus(Duration.ofHours(1)), 10))
        .extracting(Claimed::id)
        .containsExactly(ids.get(2));
    Instant afterExtension = T0.plus(Duration.ofMinutes(10)).plusSeconds(1);
    assertThat(queue.claim("node-b", afterExtension, afterExtension.plus(LEASE), 10))
        .extracting(Claimed::id)
        .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aClaimDoesNotAwaitTheDiskButTheWritesAfterItDo(String kind) throws Exception {
    open(kind);
    String query = kind.equals("sqlite") ? "pragma synchronous" : "show synchronous_commit";
    String durable = kind.equals("sqlite") ? "2" : "on"; // 2: FULL
    String inClaim = kind.equals("sqlite") ? "1" : "off"; // 1: NORMAL
    String during = db.inTransactionNotAwaitingDisk(c -> setting(c, query));
    assertThat(during).isEqualTo(inClaim);
    assertThat(queue.claim("node-a", T0, T0.plus(LEASE), 10)).hasSize(3);
    // The writer's next transaction, an event accepted say, is durable again.
    String after = db.inTransaction(c -> setting(c, query));
    assertThat(after).isEqualTo(durable);
    // Also after a claim that failed.
    assertThatThrownBy(() ->
            db.inTransactionNotAwaitingDisk(c -> {
              throw new SQLException("the claim failed");
            }))
        .isInstanceOf(StoreException.class);
    String afterFailure = db.inTransaction(c -> setting(c, query));
    assertThat(afterFailure).isEqualTo(durable);
  }

  private static String setting(java.sql.Connection c, String query) throws SQLException {
    try (var st = c.createStatement();
        var rs = st.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void anEmptyHeartbeatWritesNothing(String kind) throws Exception {
    open(kind);
    assertThat(queue.extendLeases("node-a", List.of(), T0.plus(LEASE))).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void outcomesOfALostClaimAreLeftOutAndTheWinnersStand(String kind) throws Exception {
    open(kind);
    List<Claimed> late = queue.claim("node-a", T0, T0.plus(LEASE), 10);
    // node-a's lease runs out before it records anything; node-b takes all three again.
    Instant later = T0.plus(LEASE).plusSeconds(1);
    List<Claimed> taken = queue.claim("node-b", later, later.plus(LEASE), 10);
    assertThat(taken).hasSize(3);

    // node-b, in one batch: the first succeeds, the second is put back, the third will retry.
    Instant retryAt = later.plusSeconds(60);
    Instant putBackUntil = later.plusSeconds(1);
    assertThat(
            queue.complete(
                List.of(
                    done(byId(taken, 0), DeliveryStatus.SUCCEEDED, null, later),
                    Completion.deferred(byId(taken, 1), putBackUntil, later),
                    done(byId(taken, 2), DeliveryStatus.PENDING, retryAt, later))))
        .isEqualTo(3);
    // node-a's outcomes come too late: none is written, and no attempt of it is recorded.
    assertThat(
            queue.complete(
                late.stream().map(c -> done(c, DeliveryStatus.FAILED, null, later)).toList()))
        .isZero();

    assertThat(row(ids.get(0))).isEqualTo("succeeded attempts=1 due=null recorded=1");
    assertThat(row(ids.get(1)))
        .isEqualTo("pending attempts=0 due=" + putBackUntil.toEpochMilli() + " recorded=0");
    assertThat(row(ids.get(2)))
        .isEqualTo("pending attempts=1 due=" + retryAt.toEpochMilli() + " recorded=1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void anOutcomeBatchRecordsEveryFieldOfEachAttemptAndNextState(String kind) throws Exception {
    open(kind);
    List<Claimed> claimed = queue.claim("node-a", T0, T0.plus(LEASE), 10);
    Instant ended = T0.plusMillis(1_234);
    Instant retryAt = ended.plusSeconds(60);
    String refused = "{\"status\":410,\"body\":\"gone \\u00e9\"}";
    queue.complete(
        List.of(
            new Completion(
                byId(claimed, 0),
                new AttemptRow(ids.get(0), 1, T0, 1_234, "failure", null, "{\"a\":1}", refused),
                DeliveryStatus.FAILED,
                FailureReason.CLIENT_ERROR,
                null,
                "HTTP 410",
                ended),
            new Completion(
                byId(claimed, 1),
                new AttemptRow(ids.get(1), 1, T0, 15_000, "failure", "timed out", "{}", null),
                DeliveryStatus.PENDING,
                null,
                retryAt,
                "timed out",
                ended),
            done(byId(claimed, 2), DeliveryStatus.SUCCEEDED, null, ended)));

    DeliveryStore deliveries = new DeliveryStore(db);
    DeliveryRow failed = deliveries.find(accountId, ids.get(0)).orElseThrow();
    assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(failed.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
    assertThat(failed.lastError()).isEqualTo("HTTP 410");
    assertThat(failed.nextAttemptAt()).isNull();
    assertThat(failed.updatedAt()).isEqualTo(ended);
    assertThat(attempt(ids.get(0)))
        .isEqualTo("1 " + T0.toEpochMilli() + " 1234 failure null {\"a\":1} " + refused);

    DeliveryRow retrying = deliveries.find(accountId, ids.get(1)).orElseThrow();
    assertThat(retrying.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(retrying.reason()).isNull();
    assertThat(retrying.attempts()).isEqualTo(1);
    assertThat(retrying.nextAttemptAt()).isEqualTo(retryAt);
    assertThat(retrying.lastError()).isEqualTo("timed out");
    assertThat(attempt(ids.get(1)))
        .isEqualTo("1 " + T0.toEpochMilli() + " 15000 failure timed out {} null");
    assertThat(row(ids.get(1)))
        .isEqualTo("pending attempts=1 due=" + retryAt.toEpochMilli() + " recorded=1");
    assertThat(row(ids.get(2))).isEqualTo("succeeded attempts=1 due=null recorded=1");
  }

  @Test
  void onPostgresqlTheQueueIsVacuumedEvenWhereAutovacuumIsOff() throws Exception {
    open("postgresql");
    List<Claimed> claimed = queue.claim("node-a", T0, T0.plus(LEASE), 10);
    queue.complete(claimed.stream().map(c -> done(c, DeliveryStatus.SUCCEEDED, null, T0)).toList());
    // A table never vacuumed (nor analysed) has no row count (-1); a vacuum counts the rows
    // left: none, all three were delivered. This PostgreSQL runs with autovacuum off in CI.
    double rows =
        readUntil(
            c -> {
              try (var st = c.createStatement();
                  var rs =
                      st.executeQuery(
                          "select reltuples from pg_class where oid = 'delivery_queue'::regclass")) {
                rs.next();
                return rs.getDouble(1);
              }
            },
            counted -> counted >= 0);
    assertThat(rows).isZero();
  }

  @Test
  void onPostgresqlAnOutcomeUpdatesTheDeliveryInPlace() throws Exception {
    open("postgresql");
    List<Claimed> claimed = queue.claim("node-a", T0, T0.plus(LEASE), 10);
    queue.complete(claimed.stream().map(c -> done(c, DeliveryStatus.SUCCEEDED, null, T0)).toList());
    // A HOT update writes no index entry: no index of deliveries covers what an outcome changes,
    // and the fill factor leaves the page room for the new version. The counters arrive within a
    // second or so of the writer going idle.
    long[] updates =
        readUntil(
            c -> {
              try (var st = c.createStatement();
                  var rs =
                      st.executeQuery(
                          "select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables"
                              + " where relid = 'deliveries'::regclass")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
              }
            },
            counted -> counted[0] >= 3);
    assertThat(updates).containsExactly(3, 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aDeliveryRetriedByHandTakesNoOutcomeOfAClaimFromBeforeItFailed(String kind)
      throws Exception {
    open(kind);
    Claimed lost = byId(queue.claim("node-a", T0, T0.plus(LEASE), 10), 0);
    // node-a's lease runs out; node-b takes the delivery and it fails for good.
    Instant later = T0.plus(LEASE).plusSeconds(1);
    Claimed failed = byId(queue.claim("node-b", later, later.plus(LEASE), 10), 0);
    assertThat(queue.complete(List.of(done(failed, DeliveryStatus.FAILED, null, later))))
        .isEqualTo(1);
    assertThat(row(ids.get(0))).isEqualTo("failed attempts=1 due=null recorded=1");

    // The account retries it by hand and node-c claims it again.
    assertThat(new DeliveryStore(db).retry(accountId, ids.get(0), later)).isTrue();
    assertThat(row(ids.get(0)))
        .isEqualTo("pending attempts=1 due=" + later.toEpochMilli() + " recorded=1");
    Claimed again =
        queue.claim("node-c", later, later.plus(LEASE), 10).stream()
            .filter(c -> c.id().equals(ids.get(0)))
            .findFirst()
            .orElseThrow();

    // node-a's outcome, from before the failure, arrives only now: it is not node-c's claim.
    assertThat(queue.complete(List.of(done(lost, DeliveryStatus.SUCCEEDED, null, later)))).isZero();
    assertThat(queue.complete(List.of(done(again, DeliveryStatus.SUCCEEDED, null, later))))
        .isEqualTo(1);
    assertThat(row(ids.get(0))).isEqualTo("succeeded attempts=2 due=null recorded=2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aWebhooksDeletionTakesItsDeliveriesOffTheQueue(String kind) throws Exception {
    open(kind);
    Claimed held = byId(queue.claim("node-a", T0, T0.plus(LEASE), 10), 0);
    assertThat(new DeliveryStore(db).cancelPending(accountId, "wh_1", T0)).isEqualTo(3);

    // Nothing is offered again, not even when the lease runs out, and the late outcome is dropped.
    Instant later = T0.plus(LEASE).plusSeconds(1);
    assertThat(queue.claim("node-b", later, later.plus(LEASE), 10)).isEmpty();
    assertThat(queue.complete(List.of(done(held, DeliveryStatus.SUCCEEDED, null, later)))).isZero();
    assertThat(row(ids.get(0))).isEqualTo("cancelled attempts=0 due=null recorded=0");
    assertThat(queue.depth(later)).isEqualTo(new DeliveryQueue.Depth(0, 0, Optional.empty()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void deliveriesStoredUnderALeaseAreNobodysUntilItRunsOutAndThenOnlyTheClaimsOutcomeStands(
      String kind) throws Exception {
    open(kind);
    String accountId = new AccountStore(db).create("Banco Norte", T0).account().id();
    String id = Tokens.sortableId("dlv");
    Instant until = T0.plus(LEASE);
    try (EventStore events = new EventStore(db)) {
      events.ingest(
          List.of(
              new EventStore.Ingest(
                  new NewEvent(accountId, "evt-held", "call.created", T0, "{}", T0),
                  List.of(
                      new NewDelivery(
                          id,
                          "wh_1",
                          DeliveryStatus.PENDING,
                          null,
                          new StoredRequest("{\"method\":\"POST\"}", "held body"),
                          null)),
                  new Lease("node-a", until))));
    }
    // The three queued deliveries of open() are due; the one stored under node-a's lease is not.
    assertThat(queue.claim("node-b", T0, T0.plus(Duration.ofHours(1)), 10))
        .extracting(Claimed::id)
        .containsExactlyInAnyOrderElementsOf(ids);
    // node-a's heartbeat keeps it, as it keeps what node-a claimed.
    assertThat(queue.extendLeases("node-a", List.of(id), until.plusSeconds(30))).isEqualTo(1);
    assertThat(queue.claim("node-b", until.plusSeconds(1), until.plus(LEASE), 10)).isEmpty();

    // node-a dies: when its lease runs out another node takes the delivery, request and all.
    Instant later = until.plusSeconds(31);
    List<Claimed> taken = queue.claim("node-b", later, later.plus(LEASE), 10);
    assertThat(taken)
        .singleElement()
        .satisfies(c -> {
          assertThat(c.id()).isEqualTo(id);
          assertThat(c.attempts()).isZero();
          assertThat(c.request().body()).isEqualTo("held body");
        });
    // node-a's outcome for the version it stored comes too late; node-b's stands.
    Claimed asStored =
        new Claimed(id, accountId, "wh_1", "evt-held", "call.created", 0, 0, 0, null);
    assertThat(queue.complete(List.of(done(asStored, DeliveryStatus.FAILED, null, later))))
        .isZero();
    assertThat(queue.complete(List.of(done(taken.get(0), DeliveryStatus.SUCCEEDED, null, later))))
        .isEqualTo(1);
    assertThat(row(id)).isEqualTo("succeeded attempts=1 due=null recorded=1");
  }

  /** Reads every 200 ms until what is read is {@code done}, for 30 s at most; answers the last. */
  private <T> T readUntil(Database.SqlFunction<T> read, Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    T value = db.withReader(read);
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      value = db.withReader(read);
    }
    return value;
  }

  private Claimed byId(List<Claimed> claimed, int index) {
    return claimed.stream().filter(c -> c.id().equals(ids.get(index))).findFirst().orElseThrow();
  }

  private static Completion done(Claimed c, DeliveryStatus status, Instant next, Instant now) {
    return new Completion(
        c,
        new AttemptRow(c.id(), c.attempts() + 1, now, 12, "success", null, "{}", "{}"),
        status,
        null,
        next,
        null,
        now);
  }

  /** A delivery's one attempt as stored, its columns in order. */
  private String attempt(String id) {
    return db.withReader(c -> {
      try (var ps =
          c.prepareStatement(
              "select number, started_at, duration_ms, outcome, error, request, response"
                  + " from attempts where delivery_id = ?")) {
        ps.setString(1, id);
        try (var rs = ps.executeQuery()) {
          rs.next();
          StringBuilder shown = new StringBuilder();
          for (int k = 1; k <= 7; k++) {
            shown.append(k == 1 ? "" : " ").append(rs.getString(k));
          }
          assertThat(rs.next()).as("one attempt only").isFalse();
          return shown.toString();
        }
      }
    });
  }

  /**
   * What the log would show of a delivery: status, attempts, when the queue offers it next (null
   * when off the queue), attempts recorded.
   */
  private String row(String id) {
    return db.withReader(c -> {
      try (var ps =
          c.prepareStatement(
              "select status, attempts,"
                  + " (select q.due_at from delivery_queue q where q.delivery_id = d.id),"
                  + " (select count(*) from attempts a where a.delivery_id = d.id)"
                  + " from deliveries d where id = ?")) {
        ps.setString(1, id);
        try (var rs = ps.executeQuery()) {
          rs.next();
          long due = rs.getLong(3);
          boolean noDue = rs.wasNull();
          return rs.getString(1)
              + " attempts="
              + rs.getInt(2)
              + " due="
              + (noDue ? "null" : Long.toString(due))
              + " recorded="
              + rs.getInt(4);
        }
      }
    });
  }
}
