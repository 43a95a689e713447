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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events in, requests out, by the rules of contract §8 — over a real server, a real SQLite file and
 * a real loopback receiver, with the dispatcher driven by hand and time moved by the test.
 */
class DeliveryFlowTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  static final Map<String, String> LOOPBACK = Map.of("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8");

  MutableClock clock;
  TestServer api;
  LoopbackReceiver receiver;
  TestServer.NewAccount acc;

  @BeforeEach
  void start() {
    clock = new MutableClock(T0);
    api = TestServer.manual(LOOPBACK, clock);
    receiver = LoopbackReceiver.start();
    acc = api.account("Delivery");
  }

  @AfterEach
  void stop() {
    api.close();
    receiver.close();
  }

  String webhook(String method, String path, String bodyFormat, String template, String... events) {
    ObjectNode w = TestServer.JSON.createObjectNode();
    w.put("name", "hook " + path);
    var list = w.putArray("events");
    for (String e : events.length == 0 ? new String[] {"call.created"} : events) {
      list.add(e);
    }
    w.put("method", method);
    w.put("url", receiver.url(path));
    var headers = w.putArray("headers");
    headers
        .addObject()
        .put("name", "Authorization")
        .put("value", "Bearer top-secret")
        .put("secret", true);
    headers.addObject().put("name", "X-Agent").put("value", "{{agent.email}}");
    if (bodyFormat != null) {
      w.putObject("body").put("format", bodyFormat).put("template", template);
    }
    w.put("timeout", "2s");
    Answer a = api.post("/api/v1/webhooks", acc.key(), w.toString());
    assertThat(a.status()).as(a.text()).isEqualTo(201);
    return a.json().path("id").asText();
  }

  String jsonHook(String path) {
    return webhook("POST", path, "json", "{\"client\": {{client.name}}, \"call\": \"{{id}}\"}");
  }

  Answer publish(String id, String type, String data) {
    String idPart = id == null ? "" : "\"id\": \"" + id + "\", ";
    return api.post(
        "/api/v1/events",
        acc.key(),
        "{" + idPart + "\"type\": \"" + type + "\", \"data\": " + data + "}");
  }

  static final String CALL =
      "{\"id\": \"call_1\", \"client\": {\"name\": \"María \\\"Pepa\\\" Núñez\"},"
          + " \"agent\": {\"email\": \"camila@example.com\"}}";

  String onlyDelivery(Answer published) {
    assertThat(published.status()).as(published.text()).isEqualTo(202);
    assertThat(published.json().path("deliveries")).hasSize(1);
    return published.json().path("deliveries").get(0).path("id").asText();
  }

  JsonNode delivery(String id) {
    Answer a = api.get("/api/v1/deliveries/" + id, acc.key());
    assertThat(a.status()).isEqualTo(200);
    return a.json();
  }

  @Test
  void a2xxSucceedsWithTheRenderedRequestAndTheFixedHeaders() throws Exception {
    String hook = jsonHook("/ok");
    String id = onlyDelivery(publish("e1", "call.created", CALL));
    assertThat(delivery(id).path("status").asText()).isEqualTo("pending");

    assertThat(api.runDue()).isEqualTo(1);

    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("succeeded");
    assertThat(d.path("reason").isNull()).isTrue();
    assertThat(d.path("webhookId").asText()).isEqualTo(hook);
    assertThat(d.path("eventId").asText()).isEqualTo("e1");
    assertThat(d.path("eventType").asText()).isEqualTo("call.created");
    assertThat(d.path("attempts")).hasSize(1);
    JsonNode attempt = d.path("attempts").get(0);
    assertThat(attempt.path("number").asInt()).isEqualTo(1);
    assertThat(attempt.path("outcome").asText()).isEqualTo("success");
    assertThat(attempt.path("response").path("status").asInt()).isEqualTo(200);

    LoopbackReceiver.Received r = receiver.received().getFirst();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(TestServer.JSON.readTree(r.body()).path("client").asText())
        .isEqualTo("María \"Pepa\" Núñez");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("User-Agent")).isEqualTo("Estafeta/" + Config.VERSION);
    assertThat(r.header("X-Powered-By")).isEqualTo("Estafeta");
    assertThat(r.header("X-Requested-With")).isEqualTo("Estafeta");
    assertThat(r.header("X-Agent")).isEqualTo("camila@example.com");
    assertThat(r.header("Authorization")).isEqualTo("Bearer top-secret");
    assertThat(r.header("webhook-id")).isEqualTo(id);
    assertThat(r.header("webhook-timestamp")).isEqualTo(Long.toString(T0.getEpochSecond()));

    // The attempt log masks the secret header; the receiver got it in clear.
    String shown = api.get("/api/v1/deliveries/" + id, acc.key()).text();
    assertThat(shown).doesNotContain("top-secret");
    assertThat(attempt.path("request").path("headers").path("Authorization").asText())
        .isEqualTo("••••••");
  }

  @Test
  void theSignatureVerifiesWithTheStandardWebhooksLibrary() throws Exception {
    // The library checks the timestamp against its own clock: sign at the real "now".
    clock.set(Instant.now());
    String hook = jsonHook("/signed");
    String secret =
        api.get("/api/v1/webhooks/" + hook, acc.key()).json().path("signingSecret").asText();
    onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    LoopbackReceiver.Received r = receiver.received().getFirst();
    HttpHeaders headers =
        HttpHeaders.of(
            Map.of(
                "webhook-id", List.of(r.header("webhook-id")),
                "webhook-timestamp", List.of(r.header("webhook-timestamp")),
                "webhook-signature", List.of(r.header("webhook-signature"))),
            (a, b) -> true);
    new Webhook(secret).verify(r.body(), headers);
    assertThat(r.header("webhook-signature")).startsWith("v1,");
  }

  @Test
  void anAccountsHeaderCannotReplaceOrRepeatOursWhateverItsCase() {
    ObjectNode w = TestServer.JSON.createObjectNode();
    w.put("name", "own headers");
    w.putArray("events").add("call.created");
    w.put("method", "POST");
    w.put("url", receiver.url("/own"));
    var headers = w.putArray("headers");
    headers.addObject().put("name", "x-powered-by").put("value", "Someone else");
    headers.addObject().put("name", "WEBHOOK-SIGNATURE").put("value", "v1,forged");
    headers.addObject().put("name", "User-agent").put("value", "Mine/1.0");
    headers.addObject().put("name", "X-Trace").put("value", "{{id}}");
    w.putObject("body").put("format", "json").put("template", "{\"call\": \"{{id}}\"}");
    Answer created = api.post("/api/v1/webhooks", acc.key(), w.toString());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    LoopbackReceiver.Received r = receiver.received().getFirst();
    assertThat(r.header("X-Powered-By")).isEqualTo("Estafeta");
    assertThat(r.header("User-Agent")).isEqualTo("Estafeta/" + Config.VERSION);
    assertThat(r.header("webhook-signature")).startsWith("v1,").doesNotContain("forged");
    assertThat(r.header("X-Trace")).isEqualTo("call_1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "GET", "PATCH", "DELETE", "PUT", "OPTIONS", "HEAD"})
  void allSevenMethodsAreSent(String method) {
    boolean body = !method.equals("GET") && !method.equals("HEAD");
    webhook(method, "/m/{{id}}", body ? "text" : null, body ? "hello {{client.name}}" : null);
    onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    LoopbackReceiver.Received r = receiver.received().getFirst();
    assertThat(r.method()).isEqualTo(method);
    assertThat(r.pathAndQuery()).isEqualTo("/m/call_1");
    if (body) {
      assertThat(r.body()).isEqualTo("hello María \"Pepa\" Núñez");
      assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 307, 308})
  void aRedirectFailsAndIsNotFollowed(int status) {
    jsonHook("/moved");
    receiver.answer(
        r -> new Reply(status, Map.of("Location", receiver.url("/elsewhere")), "", Duration.ZERO));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("failed");
    assertThat(d.path("reason").asText()).isEqualTo("redirect");
    assertThat(receiver.received()).hasSize(1);
    clock.advance(Duration.ofHours(2));
    assertThat(api.runDue()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 404, 410, 422})
  void aClientErrorFailsWithItsResponseCaptured(int status) {
    jsonHook("/no");
    receiver.answer(r ->
        new Reply(status, Map.of("X-Why", "nope"), "{\"error\": \"mal formé ✗\"}", Duration.ZERO));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("failed");
    assertThat(d.path("reason").asText()).isEqualTo("client_error");
    JsonNode response = d.path("attempts").get(0).path("response");
    assertThat(response.path("status").asInt()).isEqualTo(status);
    assertThat(response.path("body").asText()).isEqualTo("{\"error\": \"mal formé ✗\"}");
    assertThat(
            response.path("headers").path("X-why").asText()
                + response.path("headers").path("X-Why").asText())
        .contains("nope");
    assertThat(response.path("truncated").asBoolean()).isFalse();
    clock.advance(Duration.ofHours(2));
    assertThat(api.runDue()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 502, 503})
  void retriesFollowTheScheduleThenGiveUp(int status) {
    jsonHook("/down");
    receiver.answer(r -> Reply.status(status));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    assertThat(api.runDue()).isEqualTo(1);
    Instant last = T0;
    for (int retry = 1; retry <= 3; retry++) {
      JsonNode d = delivery(id);
      assertThat(d.path("status").asText()).isEqualTo("pending");
      Instant due = last.plusSeconds(60L * retry);
      assertThat(d.path("nextAttemptAt").asText()).isEqualTo(due.toString());
      assertThat(d.path("attempts").get(retry - 1).path("outcome").asText()).isEqualTo("retry");
      clock.set(due.minusSeconds(1));
      assertThat(api.runDue()).as("one second early").isZero();
      clock.set(due);
      assertThat(api.runDue()).as("retry " + retry).isEqualTo(1);
      last = due;
    }
    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("failed");
    assertThat(d.path("reason").asText()).isEqualTo("retries_exhausted");
    assertThat(d.path("attempts")).hasSize(4);
    assertThat(d.path("attempts").get(3).path("outcome").asText()).isEqualTo("failure");
    assertThat(receiver.received()).hasSize(4);
    // The same request on every attempt.
    assertThat(receiver.received().stream().map(LoopbackReceiver.Received::body).distinct())
        .hasSize(1);
    assertThat(receiver.received().stream().map(r -> r.header("webhook-id")).distinct())
        .containsExactly(id);
  }

  @Test
  void aLongerRetryAfterIsHonouredUpToAnHour() {
    jsonHook("/slow-down");
    receiver.answer(r -> new Reply(429, Map.of("Retry-After", "600"), "", Duration.ZERO));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    assertThat(delivery(id).path("nextAttemptAt").asText())
        .isEqualTo(T0.plusSeconds(600).toString());
    receiver.answer(r -> new Reply(503, Map.of("Retry-After", "86400"), "", Duration.ZERO));
    clock.set(T0.plusSeconds(600));
    api.runDue();
    assertThat(delivery(id).path("nextAttemptAt").asText())
        .isEqualTo(T0.plusSeconds(600 + 3600).toString());
  }

  @Test
  void timeoutsAndRefusedConnectionsAreRetried() {
    jsonHook("/sleepy");
    receiver.answer(r -> new Reply(200, Map.of(), "", Duration.ofSeconds(5)));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("pending");
    assertThat(d.path("attempts").get(0).path("error").asText()).contains("timeout");
    assertThat(d.path("attempts").get(0).path("response").isNull()).isTrue();

    // A port nothing listens on.
    ObjectNode w = TestServer.JSON.createObjectNode();
    w.put("name", "closed");
    w.putArray("events").add("survey.received");
    w.put("method", "POST");
    w.put("url", "http://127.0.0.1:1/closed");
    assertThat(api.post("/api/v1/webhooks", acc.key(), w.toString()).status()).isEqualTo(201);
    String closed = onlyDelivery(publish(null, "survey.received", "{}"));
    clock.advance(Duration.ofSeconds(1));
    api.runDue();
    JsonNode c = delivery(closed);
    assertThat(c.path("status").asText()).isEqualTo("pending");
    assertThat(c.path("attempts").get(0).path("error").asText()).contains("connection");
  }

  @Test
  void aBlockedDestinationFailsAtOnceAndNothingIsSent() {
    api.close();
    api = TestServer.manual(Map.of(), clock);
    acc = api.account("Blocked");
    jsonHook("/blocked");
    String id = onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("failed");
    assertThat(d.path("reason").asText()).isEqualTo("blocked_destination");
    assertThat(d.path("attempts").get(0).path("error").asText()).contains("loopback");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void sameEventIdTwiceGivesTheSameAnswerAndOneRequest() {
    jsonHook("/once");
    Answer first = publish("evt-42", "call.created", CALL);
    assertThat(first.status()).isEqualTo(202);
    Answer again = publish("evt-42", "call.created", CALL);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(first.json());
    api.runDue();
    assertThat(receiver.received()).hasSize(1);
    // Another account may use the same id.
    var other = api.account("Other");
    Answer theirs =
        api.post(
            "/api/v1/events",
            other.key(),
            "{\"id\": \"evt-42\", \"type\": \"call.created\", \"data\": {}}");
    assertThat(theirs.status()).isEqualTo(202);
  }

  @Test
  void fanOutReachesEnabledSubscribedWebhooksOnly() {
    String a = jsonHook("/a");
    String b =
        webhook("PUT", "/b", "xml", "<c>{{client.name}}</c>", "call.created", "survey.received");
    webhook("POST", "/other", "json", "{}", "survey.received");
    String disabled = jsonHook("/disabled");
    ObjectNode off = (ObjectNode) api.get("/api/v1/webhooks/" + disabled, acc.key()).json();
    off.put("enabled", false);
    assertThat(api.call("PUT", "/api/v1/webhooks/" + disabled, acc.key(), off.toString()).status())
        .isEqualTo(200);

    Answer published = publish(null, "call.created", CALL);
    assertThat(published.status()).isEqualTo(202);
    assertThat(published.json().path("deliveries").findValuesAsText("webhookId"))
        .containsExactlyInAnyOrder(a, b);
    api.runDue();
    assertThat(receiver.received().stream().map(LoopbackReceiver.Received::pathAndQuery))
        .containsExactlyInAnyOrder("/a", "/b");
    LoopbackReceiver.Received xml =
        receiver.received().stream()
            .filter(r -> r.pathAndQuery().equals("/b"))
            .findFirst()
            .orElseThrow();
    assertThat(xml.body()).isEqualTo("<c>María &quot;Pepa&quot; Núñez</c>");
    assertThat(xml.header("Content-Type")).isEqualTo("application/xml");
  }

  @Test
  void aFailedDeliveryCanBeRetriedByHandWithAFreshBudget() {
    jsonHook("/flaky");
    receiver.answer(r -> Reply.status(400));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    Answer early = api.post("/api/v1/deliveries/" + id + "/retry", acc.key(), null);
    assertThat(early.status()).isEqualTo(409);
    api.runDue();
    assertThat(delivery(id).path("status").asText()).isEqualTo("failed");

    receiver.answer(r -> Reply.status(200));
    Answer retried = api.post("/api/v1/deliveries/" + id + "/retry", acc.key(), null);
    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.json().path("status").asText()).isEqualTo("pending");
    api.runDue();
    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("succeeded");
    assertThat(d.path("attempts")).hasSize(2);
    assertThat(d.path("attempts").get(1).path("number").asInt()).isEqualTo(2);
    // Each attempt shows the request it sent, body included: the one body the receiver got twice.
    assertThat(receiver.received()).hasSize(2);
    for (JsonNode attempt : d.path("attempts")) {
      JsonNode request = attempt.path("request");
      assertThat(request.path("method").asText()).isEqualTo("POST");
      assertThat(request.path("url").asText()).isEqualTo(receiver.url("/flaky"));
      assertThat(request.path("body").asText())
          .isEqualTo(receiver.received().getFirst().body())
          .isEqualTo(receiver.received().get(1).body())
          .contains("Pepa");
    }

    var other = api.account("Stranger");
    assertThat(api.post("/api/v1/deliveries/" + id + "/retry", other.key(), null).status())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/deliveries/" + id, other.key()).status()).isEqualTo(404);
  }

  @Test
  void aRetriedDeliveryGetsTheWholeScheduleAgain() {
    jsonHook("/down-again");
    receiver.answer(r -> Reply.status(500));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    for (int retry = 1; retry <= 3; retry++) {
      clock.advance(Duration.ofSeconds(60L * retry));
      api.runDue();
    }
    assertThat(delivery(id).path("reason").asText()).isEqualTo("retries_exhausted");
    assertThat(api.post("/api/v1/deliveries/" + id + "/retry", acc.key(), null).status())
        .isEqualTo(202);
    api.runDue();
    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("pending");
    assertThat(d.path("nextAttemptAt").asText())
        .isEqualTo(clock.instant().plusSeconds(60).toString());
  }

  @Test
  void deletingAWebhookCancelsWhatWaits() {
    String hook = jsonHook("/gone");
    receiver.answer(r -> Reply.status(500));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    assertThat(api.call("DELETE", "/api/v1/webhooks/" + hook, acc.key(), (byte[]) null).status())
        .isEqualTo(204);
    assertThat(delivery(id).path("status").asText()).isEqualTo("cancelled");
    clock.advance(Duration.ofHours(1));
    assertThat(api.runDue()).isZero();
  }

  @Test
  void aTemplateThatCannotRenderAnEventFailsWithRenderError() {
    webhook(
        "POST",
        "/bomb",
        "text",
        "{{#each list}}{{#each ../list}}{{#each ../../list}}x{{/each}}{{/each}}{{/each}}",
        "survey.received");
    StringBuilder list = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      list.append(i == 0 ? "" : ",").append(i);
    }
    String id = onlyDelivery(publish(null, "survey.received", "{\"list\": " + list + "]}"));
    JsonNode d = delivery(id);
    assertThat(d.path("status").asText()).isEqualTo("failed");
    assertThat(d.path("reason").asText()).isEqualTo("render_error");
    assertThat(d.path("error").asText()).isNotEmpty();
    assertThat(api.runDue()).isZero();
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void theLogFiltersAndPages() {
    String a = jsonHook("/log-a");
    String b = webhook("POST", "/log-b", "json", "{}", "survey.received");
    receiver.answer(r -> r.pathAndQuery().equals("/log-a") ? Reply.status(200) : Reply.status(404));
    for (int i = 0; i < 5; i++) {
      publish("a" + i, "call.created", CALL);
      publish("b" + i, "survey.received", "{}");
      clock.advance(Duration.ofMillis(5));
    }
    api.runDue();
    JsonNode all = api.get("/api/v1/deliveries?limit=4", acc.key()).json();
    assertThat(all.path("items")).hasSize(4);
    String cursor = all.path("nextCursor").asText();
    JsonNode next = api.get("/api/v1/deliveries?limit=4&cursor=" + cursor, acc.key()).json();
    assertThat(next.path("items")).hasSize(4);
    JsonNode last =
        api.get("/api/v1/deliveries?limit=4&cursor=" + next.path("nextCursor").asText(), acc.key())
            .json();
    assertThat(last.path("items")).hasSize(2);
    assertThat(last.path("nextCursor").isNull()).isTrue();
    assertThat(api.get("/api/v1/deliveries?webhookId=" + a, acc.key()).json().path("items"))
        .hasSize(5);
    assertThat(api.get("/api/v1/deliveries?status=failed", acc.key()).json().path("items"))
        .hasSize(5)
        .allSatisfy(x -> assertThat(x.path("webhookId").asText()).isEqualTo(b));
    assertThat(api.get("/api/v1/deliveries?eventId=a3", acc.key()).json().path("items")).hasSize(1);
    assertThat(api.get("/api/v1/deliveries?status=lost", acc.key()).status()).isEqualTo(422);
    assertThat(api.get("/api/v1/deliveries?limit=0", acc.key()).status()).isEqualTo(422);
    assertThat(api.get("/api/v1/deliveries?cursor=@@", acc.key()).status()).isEqualTo(422);
    var other = api.account("Nosy");
    assertThat(api.get("/api/v1/deliveries", other.key()).json().path("items")).isEmpty();
  }

  @Test
  void testSendShowsTheAttemptWithoutADelivery() {
    String hook = jsonHook("/test-send");
    receiver.answer(r -> new Reply(201, Map.of(), "created", Duration.ZERO));
    Answer a = api.post("/api/v1/webhooks/" + hook + "/test", acc.key(), null);
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    assertThat(a.json().path("outcome").asText()).isEqualTo("success");
    assertThat(a.json().path("response").path("status").asInt()).isEqualTo(201);
    assertThat(a.json().path("response").path("body").asText()).isEqualTo("created");
    assertThat(a.text()).doesNotContain("top-secret");
    // The sample of call.created was sent, and is shown with the body it sent.
    LoopbackReceiver.Received r = receiver.received().getFirst();
    assertThat(a.json().path("request").path("body").asText()).isEqualTo(r.body()).isNotEmpty();
    assertThat(r.header("Authorization")).isEqualTo("Bearer top-secret");
    assertThat(api.get("/api/v1/deliveries", acc.key()).json().path("items")).isEmpty();

    Answer custom =
        api.post(
            "/api/v1/webhooks/" + hook + "/test",
            acc.key(),
            "{\"type\": \"call.created\", \"data\": " + CALL + "}");
    assertThat(custom.status()).isEqualTo(200);
    assertThat(receiver.received().get(1).body()).contains("Pepa");
  }

  @Test
  void eventsAreValidated() {
    jsonHook("/v");
    assertThat(publish(null, "call.nope", "{}").errorsByField()).containsKey("type");
    assertThat(publish(null, "call.created", "[]").errorsByField()).containsKey("data");
    assertThat(publish(null, "call.created", "\"x\"").status()).isEqualTo(422);
    assertThat(publish("has space", "call.created", "{}").errorsByField()).containsKey("id");
    Answer bad =
        api.post(
            "/api/v1/events",
            acc.key(),
            "{\"type\": \"call.created\", \"occurredAt\": \"yesterday\", \"data\": {}}");
    assertThat(bad.errorsByField()).containsKey("occurredAt");
    Answer foreign =
        api.post(
            "/api/v1/events",
            acc.key(),
            "{\"accountId\": \"acc_other\", \"type\": \"call.created\", \"data\": {}}");
    assertThat(foreign.errorsByField()).containsKey("accountId");
    byte[] big =
        ("{\"type\": \"call.created\", \"data\": {\"x\": \"" + "a".repeat(300 * 1024) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(api.call("POST", "/api/v1/events", acc.key(), big).status()).isEqualTo(413);
    // The operator publishes for an account it names.
    Answer noAccount =
        api.post("/api/v1/events", TestServer.ADMIN, "{\"type\": \"call.created\", \"data\": {}}");
    assertThat(noAccount.errorsByField()).containsKey("accountId");
    Answer asAdmin =
        api.post(
            "/api/v1/events",
            TestServer.ADMIN,
            "{\"accountId\": \"" + acc.id() + "\", \"type\": \"call.created\", \"data\": {}}");
    assertThat(asAdmin.status()).isEqualTo(202);
    assertThat(asAdmin.json().path("deliveries")).hasSize(1);
  }

  @Test
  void aBatchIsOneTransactionOfManyEvents() {
    jsonHook("/batch");
    StringBuilder events = new StringBuilder("{\"events\": [");
    for (int i = 0; i < 50; i++) {
      events
          .append(i == 0 ? "" : ",")
          .append("{\"id\": \"b")
          .append(i)
          .append("\", \"type\": \"call.created\", \"data\": ")
          .append(CALL)
          .append("}");
    }
    events.append("]}");
    Answer a = api.post("/api/v1/events/batch", acc.key(), events.toString());
    assertThat(a.status()).as(a.text()).isEqualTo(202);
    assertThat(a.json().path("items")).hasSize(50);
    assertThat(a.json().path("items").get(7).path("id").asText()).isEqualTo("b7");
    assertThat(a.json().path("items").get(7).path("deliveries")).hasSize(1);
    Answer again = api.post("/api/v1/events/batch", acc.key(), events.toString());
    assertThat(again.json().path("items").get(7).path("created").asBoolean()).isFalse();
    assertThat(again.json().path("items").get(7).path("deliveries"))
        .isEqualTo(a.json().path("items").get(7).path("deliveries"));
    assertThat(api.runDue()).isEqualTo(50);
    assertThat(receiver.received()).hasSize(50);

    Answer invalid =
        api.post(
            "/api/v1/events/batch",
            acc.key(),
            "{\"events\": [{\"type\": \"call.created\", \"data\": {}}, {\"type\": \"nope\", \"data\": {}}]}");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorsByField()).containsKey("events[1].type");
    assertThat(api.post("/api/v1/events/batch", acc.key(), "{\"events\": []}").status())
        .isEqualTo(422);

    // Each event of a batch may be up to 256 KiB, however large the batch.
    String fine =
        "{\"type\": \"call.created\", \"data\": {\"x\": \"" + "a".repeat(200 * 1024) + "\"}}";
    String tooLarge =
        "{\"type\": \"call.created\", \"data\": {\"x\": \"" + "a".repeat(300 * 1024) + "\"}}";
    Answer large =
        api.post("/api/v1/events/batch", acc.key(), "{\"events\": [" + fine + ", " + fine + "]}");
    assertThat(large.status()).as(large.text()).isEqualTo(202);
    Answer oneTooLarge =
        api.post(
            "/api/v1/events/batch", acc.key(), "{\"events\": [" + fine + ", " + tooLarge + "]}");
    assertThat(oneTooLarge.status()).isEqualTo(422);
    assertThat(oneTooLarge.errorsByField()).containsOnlyKeys("events[1]");
  }

  @Test
  void aBatchAnswersRepeatsWithinItAndFromBeforeWithTheFirstDeliveries() {
    jsonHook("/mixed");
    Answer earlier = publish("seen", "call.created", CALL);
    assertThat(earlier.status()).isEqualTo(202);
    String event = "{\"id\": \"%s\", \"type\": \"call.created\", \"data\": " + CALL + "}";
    String batch =
        "{\"events\": ["
            + String.join(
                ",",
                event.formatted("new-1"),
                event.formatted("seen"),
                event.formatted("twice"),
                event.formatted("twice"),
                event.formatted("new-2"))
            + "]}";
    Answer a = api.post("/api/v1/events/batch", acc.key(), batch);
    assertThat(a.status()).as(a.text()).isEqualTo(202);
    JsonNode items = a.json().path("items");
    assertThat(items)
        .extracting(i -> i.path("id").asText())
        .containsExactly("new-1", "seen", "twice", "twice", "new-2");
    assertThat(items)
        .extracting(i -> i.path("created").asBoolean())
        .containsExactly(true, false, true, false, true);
    assertThat(items.get(1).path("deliveries")).isEqualTo(earlier.json().path("deliveries"));
    assertThat(items.get(3).path("deliveries")).isEqualTo(items.get(2).path("deliveries"));
    // One request per distinct event: the earlier one, and three new ones.
    assertThat(api.runDue()).isEqualTo(4);
    assertThat(receiver.received()).hasSize(4);
  }

  @Test
  void aRetrySendsTheWebhooksCurrentSecretHeader() {
    String hook = jsonHook("/rotated-token");
    receiver.answer(r -> Reply.status(503));
    String id = onlyDelivery(publish(null, "call.created", CALL));
    api.runDue();
    assertThat(receiver.received().getLast().header("Authorization"))
        .isEqualTo("Bearer top-secret");
    // The account replaces an expired token: pending retries use the new one.
    ObjectNode w = (ObjectNode) api.get("/api/v1/webhooks/" + hook, acc.key()).json();
    ((ObjectNode) w.path("headers").get(0)).put("value", "Bearer fresh-token");
    assertThat(api.call("PUT", "/api/v1/webhooks/" + hook, acc.key(), w.toString()).status())
        .isEqualTo(200);
    receiver.answer(r -> Reply.status(200));
    clock.advance(Duration.ofSeconds(60));
    api.runDue();
    assertThat(receiver.received().getLast().header("Authorization"))
        .isEqualTo("Bearer fresh-token");
    assertThat(delivery(id).path("status").asText()).isEqualTo("succeeded");
    assertThat(api.get("/api/v1/deliveries/" + id, acc.key()).text()).doesNotContain("fresh-token");
  }

  @Test
  void numbersReachTheTemplateWithTheDigitsTheyWereSentWith() throws Exception {
    webhook(
        "POST",
        "/numbers",
        "json",
        "{\"a\": {{a}}, \"b\": {{b}}, \"c\": {{c}}}",
        "survey.received");
    onlyDelivery(
        publish(null, "survey.received", "{\"a\": 0.1, \"b\": 12345678901234567890, \"c\": 4.50}"));
    api.runDue();
    assertThat(receiver.received().getFirst().body())
        .isEqualTo("{\"a\": 0.1, \"b\": 12345678901234567890, \"c\": 4.50}");
  }
}
