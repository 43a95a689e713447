package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import io.estafeta.server.TestServer.Answer;
import io.estafeta.testsupport.LoopbackReceiver;
import io.estafeta.testsupport.LoopbackReceiver.Reply;
import io.estafeta.testsupport.MutableClock;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What operators rely on: metrics, retention, rotation, auto-disable, back-pressure. */
class OperationsTest {
  static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
  static final Pattern SAMPLE =
      Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})? [-+0-9.eEInfNa]+( [0-9]+)?");

  MutableClock clock;
  TestServer api;
  LoopbackReceiver receiver;
  TestServer.NewAccount acc;

  void start(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8");
    api = TestServer.manual(all, clock);
    acc = api.account("Ops");
  }

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    receiver = LoopbackReceiver.start();
  }

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
    receiver.close();
  }

  String hook(String path) {
    Answer a =
        api.post(
            "/api/v1/webhooks",
            acc.key(),
            "{\"name\": \"ops\", \"events\": [\"comment.created\"], \"method\": \"POST\", \"url\": \""
                + receiver.url(path)
                + "\", \"body\": {\"format\": \"text\", \"template\": \"{{text}}\"}}");
    assertThat(a.status()).as(a.text()).isEqualTo(201);
    return a.json().path("id").asText();
  }

  String publish() {
    Answer a =
        api.post(
            "/api/v1/events",
            acc.key(),
            "{\"type\": \"comment.created\", \"data\": {\"text\": \"hola\"}}");
    assertThat(a.status()).as(a.text()).isEqualTo(202);
    return a.json().path("deliveries").get(0).path("id").asText();
  }

  @Test
  void metricsAreScrapedInPrometheusText() {
    start(Map.of());
    hook("/m");
    receiver.answer(r -> Reply.status(500));
    publish();
    api.runDue();
    receiver.answer(r -> Reply.status(200));
    publish();
    api.runDue();
    api.server().metrics().sampleNow();

    Answer scrape = api.get("/metrics", null);
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.contentType()).startsWith("text/plain");
    Map<String, Double> values = new HashMap<>();
    for (String line : scrape.text().lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      assertThat(line).as("a Prometheus sample line").matches(SAMPLE);
      int space = line.lastIndexOf(' ');
      values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    assertThat(values)
        .containsEntry("estafeta_deliveries_total{outcome=\"retry\",reason=\"none\"}", 1.0)
        .containsEntry("estafeta_deliveries_total{outcome=\"succeeded\",reason=\"none\"}", 1.0)
        .containsEntry("estafeta_queue_waiting", 1.0)
        .containsEntry("estafeta_queue_due", 0.0)
        .containsKey("estafeta_in_flight")
        .containsKey("estafeta_queue_oldest_due_age_seconds")
        .containsEntry("estafeta_attempt_duration_seconds_count", 2.0)
        .containsEntry("estafeta_claim_duration_seconds_count", 4.0)
        .containsEntry("estafeta_render_duration_seconds_count", 2.0)
        .containsKey(
            "jvm_memory_used_bytes{area=\"heap\",id=\"ZHeap\"}".replace("ZHeap", anyHeap(values)));
    assertThat(values.keySet()).anyMatch(k -> k.startsWith("jvm_threads_live_threads"));
  }

  private static String anyHeap(Map<String, Double> values) {
    return values.keySet().stream()
        .filter(k -> k.startsWith("jvm_memory_used_bytes{area=\"heap\""))
        .map(k -> k.replaceAll(".*id=\"([^\"]*)\".*", "$1"))
        .findFirst()
        .orElse("none");
  }

  @Test
  void retentionPurgesWhatIsOlderInBatchesAndKeepsWhatWaits() {
    start(Map.of("ESTAFETA_RETENTION", "30d"));
    hook("/r");
    String old = publish();
    api.runDue();
    receiver.answer(r -> Reply.status(503));
    String waiting = publish();
    api.runDue();

    clock.advance(Duration.ofDays(29));
    var round = api.server().housekeeping().runOnce();
    assertThat(round.deliveriesPurged()).isZero();
    assertThat(api.get("/api/v1/deliveries/" + old, acc.key()).status()).isEqualTo(200);

    clock.advance(Duration.ofDays(2));
    round = api.server().housekeeping().runOnce();
    assertThat(round.deliveriesPurged()).isEqualTo(1);
    assertThat(round.eventsPurged()).isEqualTo(1);
    assertThat(api.get("/api/v1/deliveries/" + old, acc.key()).status()).isEqualTo(404);
    // A pending delivery is never purged, nor the event it still needs.
    assertThat(api.get("/api/v1/deliveries/" + waiting, acc.key()).json().path("status").asText())
        .isEqualTo("pending");
  }

  @Test
  void retentionCountsFromADeliverysLastChangeNotItsCreation() {
    start(Map.of("ESTAFETA_RETENTION", "30d"));
    hook("/late");
    // Refused for good on its first attempt, then retried by hand 29 days later.
    receiver.answer(r -> Reply.status(410));
    String retried = publish();
    api.runDue();
    assertThat(api.get("/api/v1/deliveries/" + retried, acc.key()).json().path("status").asText())
        .isEqualTo("failed");
    clock.advance(Duration.ofDays(29));
    receiver.answer(r -> Reply.status(200));
    assertThat(api.post("/api/v1/deliveries/" + retried + "/retry", acc.key(), null).status())
        .isEqualTo(202);
    api.runDue();

    // Made 31 days ago, finished 2 days ago: kept.
    clock.advance(Duration.ofDays(2));
    assertThat(api.server().housekeeping().runOnce().deliveriesPurged()).isZero();
    assertThat(api.get("/api/v1/deliveries/" + retried, acc.key()).json().path("status").asText())
        .isEqualTo("succeeded");
    // Finished 31 days ago: purged.
    clock.advance(Duration.ofDays(29));
    assertThat(api.server().housekeeping().runOnce().deliveriesPurged()).isEqualTo(1);
    assertThat(api.get("/api/v1/deliveries/" + retried, acc.key()).status()).isEqualTo(404);
  }

  @Test
  void aRotatedSecretSignsBesideTheOldOneForTheGracePeriod() throws Exception {
    clock.set(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    start(Map.of("ESTAFETA_ROTATION_GRACE", "24h"));
    String id = hook("/rot");
    String oldSecret =
        api.get("/api/v1/webhooks/" + id, acc.key()).json().path("signingSecret").asText();
    Answer rotated = api.post("/api/v1/webhooks/" + id + "/rotate-secret", acc.key(), null);
    assertThat(rotated.status()).isEqualTo(200);
    String newSecret = rotated.json().path("signingSecret").asText();
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
    assertThat(rotated.json().path("previousSecretValidUntil").asText())
        .isEqualTo(clock.instant().plus(Duration.ofHours(24)).toString());
    assertThat(api.get("/api/v1/webhooks/" + id, acc.key()).json().path("signingSecret").asText())
        .isEqualTo(newSecret);

    publish();
    api.runDue();
    LoopbackReceiver.Received r = receiver.received().getLast();
    assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
    new Webhook(newSecret).verify(r.body(), headers(r));
    new Webhook(oldSecret).verify(r.body(), headers(r));

    // After the grace period only the new secret signs.
    clock.advance(Duration.ofHours(25));
    publish();
    api.runDue();
    LoopbackReceiver.Received later = receiver.received().getLast();
    assertThat(later.header("webhook-signature").split(" ")).hasSize(1);
    assertThat(api.post("/api/v1/webhooks/wh_nope/rotate-secret", acc.key(), null).status())
        .isEqualTo(404);
  }

  private static HttpHeaders headers(LoopbackReceiver.Received r) {
    return HttpHeaders.of(
        Map.of(
            "webhook-id", List.of(r.header("webhook-id")),
            "webhook-timestamp", List.of(r.header("webhook-timestamp")),
            "webhook-signature", List.of(r.header("webhook-signature"))),
        (a, b) -> true);
  }

  @Test
  void aWebhookThatOnlyFailsForDaysIsDisabledAndCanBeEnabledAgain() {
    start(Map.of("ESTAFETA_DISABLE_AFTER", "5d", "ESTAFETA_MAX_RETRIES", "0"));
    String id = hook("/failing");
    receiver.answer(r -> Reply.status(400));
    publish();
    api.runDue();
    clock.advance(Duration.ofDays(3));
    assertThat(api.server().housekeeping().runOnce().webhooksDisabled()).isZero();
    publish();
    api.runDue();
    clock.advance(Duration.ofDays(3));
    assertThat(api.server().housekeeping().runOnce().webhooksDisabled()).isEqualTo(1);

    JsonNode w = api.get("/api/v1/webhooks/" + id, acc.key()).json();
    assertThat(w.path("enabled").asBoolean()).isFalse();
    assertThat(w.path("disabledReason").asText()).isEqualTo("failing");
    assertThat(
            api.post("/api/v1/events", acc.key(), "{\"type\": \"comment.created\", \"data\": {}}")
                .json()
                .path("deliveries"))
        .isEmpty();

    ObjectNode back = (ObjectNode) w;
    back.put("enabled", true);
    Answer enabled = api.call("PUT", "/api/v1/webhooks/" + id, acc.key(), back.toString());
    assertThat(enabled.status()).isEqualTo(200);
    JsonNode again = api.get("/api/v1/webhooks/" + id, acc.key()).json();
    assertThat(again.path("enabled").asBoolean()).isTrue();
    assertThat(again.path("disabledReason").isNull()).isTrue();
  }

  @Test
  void aWebhookThatSometimesSucceedsStaysEnabled() {
    start(Map.of("ESTAFETA_DISABLE_AFTER", "5d", "ESTAFETA_MAX_RETRIES", "0"));
    String id = hook("/mixed");
    receiver.answer(r -> Reply.status(400));
    publish();
    api.runDue();
    clock.advance(Duration.ofDays(4));
    receiver.answer(r -> Reply.status(200));
    publish();
    api.runDue();
    clock.advance(Duration.ofDays(2));
    assertThat(api.server().housekeeping().runOnce().webhooksDisabled()).isZero();
    assertThat(api.get("/api/v1/webhooks/" + id, acc.key()).json().path("enabled").asBoolean())
        .isTrue();
  }

  @Test
  void aFullQueueAnswers429WithRetryAfterAndLosesNothing() {
    start(Map.of("ESTAFETA_MAX_DUE", "2"));
    hook("/bp");
    String first = publish();
    publish();
    publish();
    api.server().metrics().sampleNow();
    Answer refused =
        api.post("/api/v1/events", acc.key(), "{\"type\": \"comment.created\", \"data\": {}}");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(
            api.post(
                    "/api/v1/events/batch",
                    acc.key(),
                    "{\"events\": [{\"type\": \"comment.created\", \"data\": {}}]}")
                .status())
        .isEqualTo(429);
    // What was accepted is all delivered; then the queue takes events again.
    assertThat(api.runDue()).isEqualTo(3);
    assertThat(api.get("/api/v1/deliveries/" + first, acc.key()).json().path("status").asText())
        .isEqualTo("succeeded");
    api.server().metrics().sampleNow();
    publish();
  }

  /**
   * Starts a running node with {@code capVariable} set to {@code cap}, publishes {@code events}
   * events to a receiver that takes 100 ms per request, and answers the most requests it ever had
   * under way at once.
   */
  int mostConcurrent(String capVariable, int cap, int events) throws Exception {
    api =
        TestServer.start(
            Map.of("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8", capVariable, Integer.toString(cap)),
            java.time.Clock.systemUTC());
    acc = api.account("Capped");
    var current = new java.util.concurrent.atomic.AtomicInteger();
    var most = new java.util.concurrent.atomic.AtomicInteger();
    receiver.answer(r -> {
      most.accumulateAndGet(current.incrementAndGet(), Math::max);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      current.decrementAndGet();
      return Reply.status(200);
    });
    hook("/capped");
    for (int i = 0; i < events; i++) {
      publish();
    }
    CrashTest.waitUntil(() -> receiver.received().size() == events, Duration.ofSeconds(30));
    return most.get();
  }

  @Test
  void concurrentRequestsToOneHostAreCapped() throws Exception {
    assertThat(mostConcurrent("ESTAFETA_MAX_PER_HOST", 3, 15))
        .isLessThanOrEqualTo(3)
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void attemptsUnderWayOnANodeAreCapped() throws Exception {
    assertThat(mostConcurrent("ESTAFETA_MAX_IN_FLIGHT", 4, 16))
        .isLessThanOrEqualTo(4)
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void oneAccountCannotTakeEveryAttemptSlot() throws Exception {
    assertThat(mostConcurrent("ESTAFETA_MAX_PER_ACCOUNT", 2, 8)).isLessThanOrEqualTo(2);
  }

  @Test
  void deliveriesPutBackAtACapAreCountedForOperators() {
    start(Map.of("ESTAFETA_MAX_PER_ACCOUNT", "1"));
    receiver.answer(r -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Reply.status(200);
    });
    hook("/capped");
    for (int i = 0; i < 4; i++) {
      publish();
    }
    // One claim takes all four; the account's one slot sends one, the other three are put back.
    api.runDue();
    assertThat(receiver.received()).hasSize(1);
    String deferred =
        api.get("/metrics", null)
            .text()
            .lines()
            .filter(l -> l.startsWith("estafeta_deferrals_total{cause=\"account\"}"))
            .findFirst()
            .orElseThrow();
    assertThat(deferred).endsWith(" 3.0");
  }

  /** A running node claiming {@code claimSize} at a time, with an account cap of {@code cap}. */
  void startClaiming(int claimSize, int cap, Duration nearCapPatience) {
    api =
        TestServer.start(
            Map.of("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8"),
            java.time.Clock.systemUTC(),
            new EstafetaServer.Options(
                true,
                s ->
                    s.withBatchSize(claimSize)
                        .withMaxInFlight(2_000)
                        .withPerHost(1_000)
                        .withPerAccount(cap)
                        .withNearCapPatience(nearCapPatience)));
    acc = api.account("Busy");
  }

  double accountPutBacks() {
    return api.get("/metrics", null)
        .text()
        .lines()
        .filter(l -> l.startsWith("estafeta_deferrals_total{cause=\"account\"}"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aBusyAccountIsNotClaimedPastItsCapOnlyToBePutBack() throws Exception {
    // Claims of 10 and a cap of 20: however many are due, the node claims for the account only
    // while fewer than 10 of its attempts are under way, so none is ever put back.
    startClaiming(10, 20, Duration.ofMinutes(1));
    receiver.answer(r -> new Reply(200, Map.of(), "", Duration.ofMillis(5)));
    hook("/busy");
    // Two batches: a hundred and fifty due at once.
    String event = "{\"type\": \"comment.created\", \"data\": {\"text\": \"hola\"}}";
    String batch =
        "{\"events\": [" + String.join(", ", java.util.Collections.nCopies(75, event)) + "]}";
    for (int i = 0; i < 2; i++) {
      assertThat(api.post("/api/v1/events/batch", acc.key(), batch).status()).isEqualTo(202);
    }
    CrashTest.waitUntil(() -> receiver.received().size() == 150, Duration.ofSeconds(60));
    assertThat(accountPutBacks()).isZero();
  }

  @Test
  void anAccountWithAStuckReceiverDoesNotHoldUpAnother() throws Exception {
    startClaiming(10, 2, Duration.ofMillis(200));
    var release = new java.util.concurrent.CountDownLatch(1);
    receiver.answer(r -> {
      if (r.pathAndQuery().startsWith("/stuck")) {
        try {
          release.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Reply.status(200);
    });
    try {
      hook("/stuck");
      for (int i = 0; i < 20; i++) {
        publish();
      }
      // The stuck account has its two attempts under way and eighteen due behind them.
      CrashTest.waitUntil(() -> receiver.received().size() == 2, Duration.ofSeconds(10));
      acc = api.account("Other");
      hook("/other");
      publish();
      CrashTest.waitUntil(
          () -> receiver.received().stream().anyMatch(r -> r.pathAndQuery().startsWith("/other")),
          Duration.ofSeconds(5));
      assertThat(receiver.received())
          .filteredOn(r -> r.pathAndQuery().startsWith("/stuck"))
          .hasSize(2);
    } finally {
      release.countDown();
    }
  }
}
