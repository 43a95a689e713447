package io.estafeta.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.secret.Tokens;
import io.estafeta.store.AccountStore;
import io.estafeta.store.AttemptRow;
import io.estafeta.store.Claimed;
import io.estafeta.store.Completion;
import io.estafeta.store.Database;
import io.estafeta.store.DeliveryQueue;
import io.estafeta.store.DeliveryStore;
import io.estafeta.store.EventStore;
import io.estafeta.store.NewDelivery;
import io.estafeta.store.NewEvent;
import io.estafeta.store.StoredRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outcomes recorded together on a real SQLite file. */
class OutcomeWriterTest {
  static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");

  Database db;
  DeliveryQueue queue;
  String accountId;
  List<Claimed> claimed;

  @BeforeEach
  void open() throws Exception {
    db = Database.sqlite(Files.createTempDirectory("outcomes").resolve("estafeta.db"));
    queue = new DeliveryQueue(db);
    accountId = new AccountStore(db).create("Clínica Norte", T0).account().id();
    List<NewDelivery> deliveries =
        IntStream.range(0, 3)
            .mapToObj(i ->
                new NewDelivery(
                    Tokens.sortableId("dlv"),
                    "wh_1",
                    DeliveryStatus.PENDING,
                    null,
                    new StoredRequest("{}", null),
                    null))
            .toList();
    try (EventStore events = new EventStore(db)) {
      events.ingest(
          List.of(
              new EventStore.Ingest(
                  new NewEvent(accountId, "evt-1", "call.created", T0, "{}", T0), deliveries)));
    }
    claimed = queue.claim("node-a", T0, T0.plus(Duration.ofMinutes(3)), 10);
    assertThat(claimed).hasSize(3);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void attemptsThatEndWithinTheGatheringTimeAreRecordedInOneTransaction() throws Exception {
    List<Integer> batches = new CopyOnWriteArrayList<>();
    CountDownLatch written = new CountDownLatch(3);
    AtomicLong ticker = new AtomicLong();
    // Counted down once the writer has read the time: it has taken a batch and is gathering.
    CountDownLatch gathering = new CountDownLatch(1);
    OutcomeWriter writer =
        new OutcomeWriter(
            queue,
            Duration.ofSeconds(2),
            () -> {
              long now = ticker.get();
              gathering.countDown();
              return now;
            },
            () -> false,
            batch -> {
              batches.add(batch.size());
              batch.forEach(c -> written.countDown());
            });
    // Outcomes waiting when the writer looks: it takes them all, then gathers for its time.
    claimed.forEach(c -> writer.add(succeeded(c)));
    writer.start();
    try {
      assertThat(gathering.await(10, TimeUnit.SECONDS)).isTrue();
      ticker.addAndGet(Duration.ofMillis(1_900).toNanos());
      assertThat(written.await(300, TimeUnit.MILLISECONDS)).as("written early").isFalse();
      ticker.addAndGet(Duration.ofMillis(100).toNanos());
      assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      writer.close();
    }
    assertThat(batches).containsExactly(3);
    claimed.forEach(this::assertRecordedAsSucceeded);
  }

  @Test
  void closingRecordsWhatIsGatheredWithoutWaitingOutTheGatheringTime() throws Exception {
    CountDownLatch written = new CountDownLatch(1);
    OutcomeWriter writer =
        new OutcomeWriter(
            queue,
            Duration.ofMinutes(5),
            System::nanoTime,
            () -> false,
            batch -> written.countDown());
    writer.start();
    writer.add(succeeded(claimed.getFirst()));
    long started = System.nanoTime();
    writer.close();
    assertThat(written.getCount()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertRecordedAsSucceeded(claimed.getFirst());
  }

  @Test
  void aNodeShortOfRoomHasItsOutcomesRecordedWithoutGathering() throws Exception {
    CountDownLatch written = new CountDownLatch(1);
    // The node waits for the room this outcome gives back: a long gathering time does not apply.
    OutcomeWriter writer =
        new OutcomeWriter(
            queue,
            Duration.ofMinutes(5),
            System::nanoTime,
            () -> true,
            batch -> written.countDown());
    writer.start();
    try {
      writer.add(succeeded(claimed.getFirst()));
      assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      writer.close();
    }
    assertRecordedAsSucceeded(claimed.getFirst());
  }

  void assertRecordedAsSucceeded(Claimed c) {
    var row = new DeliveryStore(db).find(accountId, c.id()).orElseThrow();
    assertThat(row.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    assertThat(row.attempts()).isEqualTo(1);
  }

  static Completion succeeded(Claimed c) {
    Instant at = T0.plusSeconds(1);
    return new Completion(
        c,
        new AttemptRow(c.id(), 1, at, 3, "success", null, "{}", "{}"),
        DeliveryStatus.SUCCEEDED,
        null,
        null,
        null,
        at);
  }
}
