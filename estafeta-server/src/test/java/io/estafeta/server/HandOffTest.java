package io.estafeta.server;

import static io.estafeta.server.CrashTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.delivery.dispatch.DispatcherSettings;
import io.estafeta.server.TestServer.Answer;
import io.estafeta.testsupport.LoopbackReceiver;
import io.estafeta.testsupport.LoopbackReceiver.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A running node sends what is published straight to an attempt while it has room and nothing due
 * waits in the queue, and queues it behind what does wait.
 */
class HandOffTest {
  TestServer api;
  final LoopbackReceiver receiver = LoopbackReceiver.start();
  TestServer.NewAccount acc;
  final CountDownLatch held = new CountDownLatch(1);

  @AfterEach
  void stop() {
    held.countDown();
    if (api != null) {
      api.close();
    }
    receiver.close();
  }

  void start(int maxInFlight) throws Exception {
    start(maxInFlight, s -> s);
  }

  void start(int maxInFlight, int batchSize, int perAccount) throws Exception {
    start(maxInFlight, s -> s.withBatchSize(batchSize).withPerAccount(perAccount));
  }

  void start(int maxInFlight, int batchSize, int perAccount, Duration poll) throws Exception {
    start(
        maxInFlight,
        s -> s.withBatchSize(batchSize).withPerAccount(perAccount).withPollInterval(poll));
  }

  void start(int maxInFlight, UnaryOperator<DispatcherSettings> settings) throws Exception {
    api =
        TestServer.start(
            Map.of("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8", "ESTAFETA_RETRY_DELAY", "300ms"),
            Clock.systemUTC(),
            new EstafetaServer.Options(true, s -> settings.apply(s.withMaxInFlight(maxInFlight))));
    acc = account("Hand-off", "/in");
    // One delivery through first: the dispatcher has looked at the queue and found it drained.
    String first = deliveries(publish("warm-up")).getFirst();
    waitUntil(() -> status(first).equals("succeeded"), Duration.ofSeconds(10));
    // From here on the receiver holds every answer to /in until the test lets go.
    receiver.answer(r -> {
      if (!r.pathAndQuery().startsWith("/in")) {
        return Reply.status(200);
      }
      try {
        held.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Reply.status(200);
    });
  }

  @Test
  void aNewDeliveryIsAttemptedAtOnceWithoutAClaimAndOnlyOnce() throws Exception {
    start(1_000);
    double before = handOffs();
    Answer batch = publish("evt-a", "evt-b", "evt-c");
    List<String> ids = deliveries(batch);
    waitUntil(() -> receiver.received().size() == 4, Duration.ofSeconds(10));
    assertThat(handOffs() - before).isEqualTo(3.0);
    // Under way and not recorded yet: pending, as a claimed delivery is.
    assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo("pending"));
    assertThat(metric("estafeta_in_flight")).isEqualTo(3.0);

    held.countDown();
    waitUntil(
        () -> ids.stream().allMatch(id -> status(id).equals("succeeded")), Duration.ofSeconds(10));
    for (String id : ids) {
      assertThat(delivery(id).path("attempts")).hasSize(1);
    }
    // The same events again: the same answer, nothing new to send, and the room reserved for
    // them is given back at once.
    Answer again = publish("evt-a", "evt-b", "evt-c");
    assertThat(deliveries(again)).isEqualTo(ids);
    assertThat(metric("estafeta_in_flight")).isZero();
    assertThat(handOffs() - before).isEqualTo(3.0);
    Thread.sleep(300);
    assertThat(receiver.received()).hasSize(4);
  }

  @Test
  void whatIsPublishedWhileTheNodeIsFullQueuesBehindWhatWaits() throws Exception {
    // One attempt at a time: five published at once cannot go straight to attempts, and the
    // queue hands them out in order.
    start(1);
    double before = handOffs();
    List<String> waiting = deliveries(publish("evt-1", "evt-2", "evt-3", "evt-4", "evt-5"));
    waitUntil(() -> receiver.received().size() == 2, Duration.ofSeconds(10));
    // Four wait in the queue; a sixth event must not overtake them.
    String late = deliveries(publish("evt-6")).getFirst();
    assertThat(handOffs()).isEqualTo(before);

    held.countDown();
    waitUntil(() -> status(late).equals("succeeded"), Duration.ofSeconds(20));
    waitUntil(
        () -> waiting.stream().allMatch(id -> status(id).equals("succeeded")),
        Duration.ofSeconds(20));
    List<LoopbackReceiver.Received> got = receiver.received();
    assertThat(got).hasSize(7);
    assertThat(got.getLast().header("webhook-id")).isEqualTo(late);
    assertThat(handOffs()).isEqualTo(before);

    // Once the queue is drained, new work goes straight to an attempt again.
    List<String> later = new ArrayList<>();
    waitUntil(
        () -> {
          later.add(deliveries(publish("evt-later-" + later.size())).getFirst());
          return handOffs() > before;
        },
        Duration.ofSeconds(10));
    waitUntil(
        () -> later.stream().allMatch(id -> status(id).equals("succeeded")),
        Duration.ofSeconds(10));
  }

  @Test
  void anAccountAtItsShareDoesNotHoldAnotherBack() throws Exception {
    // Claims of 1 and 3 attempts per account: an account with 2 under way is at the mark where
    // the dispatcher's next claim could take it past its cap.
    start(1_000, 1, 3);
    double before = handOffs();
    List<String> busy = new ArrayList<>();
    busy.addAll(deliveries(publish("evt-busy-1")));
    busy.addAll(deliveries(publish("evt-busy-2")));
    waitUntil(() -> receiver.received().size() == 3, Duration.ofSeconds(10));
    assertThat(handOffs() - before).isEqualTo(2.0);

    // The busy account is at its mark; another account's event still goes straight through.
    TestServer.NewAccount other = account("Other", "/other");
    String others = deliveries(publish(other, "evt-other")).getFirst();
    assertThat(handOffs() - before).isEqualTo(3.0);
    waitUntil(
        () -> delivery(other, others).path("status").asText().equals("succeeded"),
        Duration.ofSeconds(10));

    // A third of the busy account's would pass its mark: it queues.
    String third = deliveries(publish("evt-busy-3")).getFirst();
    assertThat(handOffs() - before).isEqualTo(3.0);
    held.countDown();
    busy.add(third);
    waitUntil(
        () -> busy.stream().allMatch(id -> status(id).equals("succeeded")), Duration.ofSeconds(10));
  }

  @Test
  void whatIsHandedOffCostsTheQueueNoLook() throws Exception {
    // The dispatcher polls once a minute here: every look at the queue in this test was a wake.
    start(1_000, 100, 250, Duration.ofMinutes(1));
    held.countDown();
    double looks = metric("estafeta_claim_duration_seconds_count");
    double handedOff = handOffs();
    for (int i = 0; i < 20; i++) {
      String id = deliveries(publish("evt-quiet-" + i)).getFirst();
      waitUntil(() -> status(id).equals("succeeded"), Duration.ofSeconds(10));
    }
    assertThat(handOffs() - handedOff).isEqualTo(20.0);
    // Their outcomes scheduled nothing, so nothing woke the dispatcher to claim (each look on
    // SQLite is a write transaction on the one writer the publishes wait for).
    assertThat(metric("estafeta_claim_duration_seconds_count") - looks).isZero();
  }

  @Test
  void aRetryDueBeforeTheNextPollIsAttemptedOnTime() throws Exception {
    start(1_000, 100, 250, Duration.ofMinutes(1));
    // The first attempt of each fails; the retry is due 300 ms later, long before the next poll.
    java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    receiver.answer(
        r -> failedOnce.add(r.header("webhook-id")) ? Reply.status(503) : Reply.status(200));
    String id = deliveries(publish("evt-retried")).getFirst();
    waitUntil(() -> status(id).equals("succeeded"), Duration.ofSeconds(10));
    assertThat(delivery(id).path("attempts")).hasSize(2);
  }

  TestServer.NewAccount account(String name, String path) {
    TestServer.NewAccount account = api.account(name);
    Answer hook =
        api.post(
            "/api/v1/webhooks",
            account.key(),
            "{\"name\": \"h\", \"events\": [\"call.created\"], \"method\": \"POST\", \"url\": \""
                + receiver.url(path)
                + "\", \"body\": {\"format\": \"json\", \"template\": \"{\\\"call\\\":"
                + " {{id}}}\"}}");
    assertThat(hook.status()).as(hook.text()).isEqualTo(201);
    return account;
  }

  Answer publish(String... ids) {
    return publish(acc, ids);
  }

  Answer publish(TestServer.NewAccount account, String... ids) {
    StringBuilder events = new StringBuilder("{\"events\": [");
    for (int i = 0; i < ids.length; i++) {
      events
          .append(i == 0 ? "" : ",")
          .append("{\"id\": \"")
          .append(ids[i])
          .append("\", \"type\": \"call.created\", \"data\": {\"id\": \"call_")
          .append(i)
          .append("\"}}");
    }
    Answer a = api.post("/api/v1/events/batch", account.key(), events.append("]}").toString());
    assertThat(a.status()).as(a.text()).isEqualTo(202);
    return a;
  }

  static List<String> deliveries(Answer published) {
    List<String> ids = new ArrayList<>();
    published
        .json()
        .path("items")
        .forEach(e -> e.path("deliveries").forEach(d -> ids.add(d.path("id").asText())));
    return ids;
  }

  JsonNode delivery(String id) {
    return delivery(acc, id);
  }

  JsonNode delivery(TestServer.NewAccount account, String id) {
    return api.get("/api/v1/deliveries/" + id, account.key()).json();
  }

  String status(String id) {
    return delivery(id).path("status").asText();
  }

  double handOffs() {
    return metric("estafeta_handoffs_total");
  }

  /** A value on /metrics as a scraper reads it; 0 for a counter not counted yet. */
  double metric(String name) {
    return api.get("/metrics", null)
        .text()
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
