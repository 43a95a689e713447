package io.estafeta.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.RetryPolicy;
import io.estafeta.core.secret.Tokens;
import io.estafeta.core.webhook.HttpMethod;
import io.estafeta.core.webhook.RenderedRequest;
import io.estafeta.core.webhook.Webhook;
import io.estafeta.core.webhook.WebhookDefinition;
import io.estafeta.delivery.destination.AllowList;
import io.estafeta.delivery.destination.DestinationPolicy;
import io.estafeta.delivery.http.HttpSender;
import io.estafeta.delivery.http.SenderSettings;
import io.estafeta.delivery.metrics.EngineMetrics;
import io.estafeta.store.AccountStore;
import io.estafeta.store.Claimed;
import io.estafeta.store.Completion;
import io.estafeta.store.Database;
import io.estafeta.store.DeliveryQueue;
import io.estafeta.store.DeliveryRow;
import io.estafeta.store.DeliveryStore;
import io.estafeta.store.EventStore;
import io.estafeta.store.NewDelivery;
import io.estafeta.store.NewEvent;
import io.estafeta.store.RequestCodec;
import io.estafeta.testsupport.MutableClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's steps on a real SQLite file, timed by a clock (and the patience by a ticker)
 * that the test moves: no sleeps. Attempts go to a loopback port nobody listens on, so each is a
 * refused connection (a real one), which the retry rules retry.
 */
class DispatcherTest {
  static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");
  static final String WEBHOOK = "wh_dispatch";

  final MutableClock clock = new MutableClock(T0);
  final AtomicLong ticker = new AtomicLong();
  final RequestCodec codec = new RequestCodec();
  final EngineMetrics metrics = EngineMetrics.none();
  Database db;
  DeliveryQueue queue;
  HttpSender sender;
  String accountId;
  String url;
  Dispatcher dispatcher;

  @BeforeEach
  void open() throws Exception {
    db = Database.sqlite(Files.createTempDirectory("dispatch").resolve("estafeta.db"));
    queue = new DeliveryQueue(db);
    accountId = new AccountStore(db).create("Clínica Sur", T0).account().id();
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      url = "http://127.0.0.1:" + closed.getLocalPort() + "/hook";
    }
    sender =
        new HttpSender(
            new DestinationPolicy(AllowList.parse("127.0.0.0/8")),
            SenderSettings.defaults("Estafeta/test"));
  }

  @AfterEach
  void close() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    sender.close();
    db.close();
  }

  DispatcherSettings settings() {
    return DispatcherSettings.of("node-a", 100, Duration.ofMinutes(3), 20, 250)
        .withPollInterval(Duration.ofMinutes(5));
  }

  Dispatcher dispatcher(DispatcherSettings settings) {
    dispatcher =
        new Dispatcher(
            queue,
            codec,
            this::webhook,
            new AttemptRunner(sender, clock, "Estafeta/test"),
            new RetryPolicy(Duration.ofSeconds(60), 3),
            clock,
            settings,
            metrics);
    return dispatcher;
  }

  ExecuteClaimed execute(DispatcherSettings settings) {
    return new ExecuteClaimed(
        codec,
        this::webhook,
        new AttemptRunner(sender, clock, "Estafeta/test"),
        new RetryPolicy(Duration.ofSeconds(60), 3),
        clock,
        metrics,
        settings);
  }

  Optional<Webhook> webhook(String account, String id) {
    return Optional.of(
        new Webhook(
            WEBHOOK,
            account,
            new WebhookDefinition(
                "CRM",
                List.of("call.created"),
                HttpMethod.POST,
                url,
                List.of(),
                null,
                true,
                Duration.ofSeconds(2)),
            "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]),
            T0,
            T0));
  }

  /** Publishes {@code n} events of one delivery each; their delivery ids. */
  List<String> publish(int n) {
    RenderedRequest request =
        new RenderedRequest(HttpMethod.POST, url, List.of(), "{\"a\": 1}", Duration.ofSeconds(2));
    List<EventStore.Ingest> ingests =
        IntStream.range(0, n)
            .mapToObj(i ->
                new EventStore.Ingest(
                    new NewEvent(accountId, Tokens.sortableId("evt"), "call.created", T0, "{}", T0),
                    List.of(
                        new NewDelivery(
                            Tokens.sortableId("dlv"),
                            WEBHOOK,
                            DeliveryStatus.PENDING,
                            null,
                            codec.encode(request),
                            null))))
            .toList();
    try (EventStore events = new EventStore(db)) {
      return events.ingest(ingests).stream()
          .flatMap(i -> i.deliveries().stream())
          .map(d -> d.id())
          .toList();
    }
  }

  DeliveryRow row(String id) {
    return new DeliveryStore(db).find(accountId, id).orElseThrow();
  }

  double deferrals(String cause) {
    var counter = metrics.registry().find("estafeta.deferrals").tag("cause", cause).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aFailedAttemptIsRetriedWhenTheClockReachesItsTimeAndNotBefore() {
    String id = publish(1).getFirst();
    ManualDriver driver = dispatcher(settings()).manual();

    assertThat(driver.runDue()).isEqualTo(1);
    DeliveryRow first = row(id);
    assertThat(first.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.nextAttemptAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(first.lastError()).contains("connect");

    clock.advance(Duration.ofSeconds(59));
    assertThat(driver.runDue()).as("a second early").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(driver.runDue()).isEqualTo(1);
    assertThat(row(id).attempts()).isEqualTo(2);
    assertThat(row(id).nextAttemptAt()).isEqualTo(T0.plusSeconds(60 + 120));
  }

  @Test
  void aTurnThatFindsLessThanItCouldWaitsForTheNextDueDelivery() throws Exception {
    publish(1);
    ManualDriver driver = dispatcher(settings()).manual();

    ClaimTurn.Result first = driver.turn();
    assertThat(first.claimed()).isEqualTo(1);
    assertThat(first.waitFor()).isEqualTo(ClaimTurn.Wait.DUE);
    // The attempt failed and its retry is due in a minute: the loop looks again then, not at its
    // five-minute poll.
    ClaimTurn.Result next = driver.turn();
    assertThat(next).isEqualTo(new ClaimTurn.Result(0, ClaimTurn.Wait.DUE, Duration.ofSeconds(60)));
  }

  @Test
  void aTurnThatTakesAFullBatchLooksAgainAtOnce() throws Exception {
    publish(3);
    ManualDriver driver = dispatcher(settings().withBatchSize(2)).manual();
    assertThat(driver.turn())
        .isEqualTo(new ClaimTurn.Result(2, ClaimTurn.Wait.NONE, Duration.ZERO));
    assertThat(driver.turn().claimed()).isEqualTo(1);
  }

  @Test
  void anAccountAtItsCapIsPutBackUnattemptedWithItsBudgetUntouched() throws Exception {
    String id = publish(1).getFirst();
    ExecuteClaimed execute = execute(settings().withPerAccount(1));
    // The account's one slot is taken by an attempt under way.
    assertThat(execute.accounts().acquire(accountId, Duration.ZERO)).isTrue();
    Claimed c = queue.claim("node-a", T0, T0.plus(Duration.ofMinutes(3)), 10).getFirst();

    Completion putBack = execute.execute(c).orElseThrow();
    assertThat(putBack.isDeferral()).isTrue();
    queue.complete(List.of(putBack));
    assertThat(row(id).status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(row(id).attempts()).isZero();
    assertThat(queue.nextDue()).contains(T0.plusSeconds(1));
    assertThat(deferrals("account")).isEqualTo(1.0);

    // With the slot free again, the same delivery is attempted.
    execute.accounts().release(accountId);
    clock.advance(Duration.ofSeconds(1));
    Claimed again = queue.claim("node-a", clock.instant(), T0.plusSeconds(300), 10).getFirst();
    assertThat(execute.execute(again).orElseThrow().isDeferral()).isFalse();
  }

  @Test
  void aBusyHostIsWaitedForThenPutBack() throws Exception {
    String id = publish(1).getFirst();
    ExecuteClaimed execute =
        execute(settings().withPerHost(1).withHostPatience(Duration.ofMillis(1)));
    assertThat(execute.hosts().acquire("127.0.0.1", Duration.ZERO)).isTrue();
    Claimed c = queue.claim("node-a", T0, T0.plus(Duration.ofMinutes(3)), 10).getFirst();

    queue.complete(List.of(execute.execute(c).orElseThrow()));
    assertThat(row(id).attempts()).isZero();
    assertThat(queue.nextDue()).contains(T0.plusSeconds(1));
    assertThat(deferrals("host")).isEqualTo(1.0);
    assertThat(deferrals("account")).isZero();
  }

  @Test
  void theHeartbeatKeepsTheLeasesOfWhatTheNodeHolds() {
    publish(2);
    InFlight inFlight = new InFlight(10, new Waiter());
    ExtendLeases leases = new ExtendLeases(queue, inFlight, clock, settings());
    List<Claimed> claimed = queue.claim("node-a", T0, T0.plus(Duration.ofMinutes(3)), 10);
    inFlight.hold(claimed.getFirst());
    // The second was recorded meanwhile: only the held one is extended.
    clock.advance(Duration.ofMinutes(2));
    assertThat(leases.every()).isEqualTo(Duration.ofSeconds(45));
    assertThat(leases.beat()).isEqualTo(1);

    // Past the first lease, another node finds only the delivery whose lease was not kept up.
    Instant pastFirst = T0.plus(Duration.ofMinutes(3)).plusSeconds(1);
    assertThat(queue.claim("node-b", pastFirst, pastFirst.plus(Duration.ofHours(1)), 10))
        .extracting(Claimed::id)
        .containsExactly(claimed.get(1).id());
    // Past the extended one, it is due again: its node stopped beating.
    Instant pastExtended = T0.plus(Duration.ofMinutes(5)).plusSeconds(1);
    assertThat(queue.claim("node-b", pastExtended, pastExtended.plusSeconds(60), 10))
        .extracting(Claimed::id)
        .containsExactly(claimed.getFirst().id());
  }

  @Test
  void handOffIsTakenOnlyWhileTheNodeRunsHasRoomAndHasCaughtUp() {
    Waiter waiter = new Waiter();
    InFlight inFlight = new InFlight(3, waiter);
    AccountLoad load = new AccountLoad(250, 100, waiter::wake);
    HandOffDesk desk =
        new HandOffDesk(inFlight, load, null, waiter, clock, settings().withMaxInFlight(3));

    assertThat(desk.reserve(accountId, 1)).as("not running").isEmpty();
    desk.open(true);
    assertThat(desk.reserve(accountId, 1)).as("the queue not looked at yet").isEmpty();
    desk.caughtUp(true);
    assertThat(desk.reserve(accountId, 2))
        .hasValueSatisfying(lease -> {
          assertThat(lease.owner()).isEqualTo("node-a");
          assertThat(lease.until()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        });
    assertThat(inFlight.free()).isEqualTo(1);

    // Two more than the room: they queue, and so does what comes after until the next claim.
    assertThat(desk.reserve(accountId, 2)).isEmpty();
    assertThat(desk.reserve(accountId, 1)).isEmpty();
    desk.cancel(accountId, 2);
    assertThat(inFlight.free()).isEqualTo(3);
    desk.caughtUp(true);
    assertThat(desk.reserve(accountId, 1)).isPresent();
  }

  @Test
  void anAccountAtItsMarkHasItsHandOffQueued() {
    Waiter waiter = new Waiter();
    InFlight inFlight = new InFlight(100, waiter);
    // A cap of 3 and claims of 1: an account with 2 under way is at its mark.
    AccountLoad load = new AccountLoad(3, 1, waiter::wake);
    HandOffDesk desk = new HandOffDesk(inFlight, load, null, waiter, clock, settings());
    desk.open(true);
    desk.caughtUp(true);
    assertThat(desk.reserve(accountId, 2)).isPresent();
    assertThat(desk.reserve(accountId, 1)).isEmpty();
    assertThat(inFlight.free()).as("the refused room given back").isEqualTo(98);
    desk.caughtUp(true);
    assertThat(desk.reserve("acc_other", 1)).as("another account").isPresent();
  }

  @Test
  void claimingWaitsForAnAccountNearItsCapOnlyAsLongAsItsPatience() {
    AccountLoad load = new AccountLoad(3, 1, () -> {});
    NearCapPatience patience = new NearCapPatience(load, Duration.ofMillis(200), ticker::get);
    assertThat(patience.left()).isEmpty();

    load.claimed(accountId);
    load.claimed(accountId);
    assertThat(patience.left()).contains(Duration.ofMillis(200));
    ticker.addAndGet(Duration.ofMillis(150).toNanos());
    assertThat(patience.left()).contains(Duration.ofMillis(50));
    ticker.addAndGet(Duration.ofMillis(50).toNanos());
    assertThat(patience.left()).as("a slow receiver: claim anyway").isEmpty();

    // Below the mark and back at it: the patience starts over.
    load.ended(accountId);
    assertThat(patience.left()).isEmpty();
    load.claimed(accountId);
    assertThat(patience.left()).contains(Duration.ofMillis(200));
  }
}
