package io.estafeta.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.catalog.EventType;
import io.estafeta.server.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code ./estafeta demo}: within seconds, deliveries that succeed, retry and fail. */
class DemoTest {
  @Test
  void theDemoShowsSuccessesRetriesAndFailuresOfEveryEventType() throws Exception {
    try (TestServer api =
            TestServer.start(
                Map.of(
                    "ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8",
                    "ESTAFETA_RETRY_DELAY", "300ms",
                    "ESTAFETA_MAX_RETRIES", "1"),
                Clock.systemUTC());
        Demo demo =
            Demo.start(
                api.base(),
                TestServer.ADMIN,
                Duration.ofMillis(60),
                Clock.systemUTC(),
                new Random(42))) {
      Demo.Started s = demo.started();
      assertThat(s.webhooks()).hasSize(4);
      assertThat(s.portalUrl()).contains("/#/login/ptl_");
      assertThat(s.receiverUrl()).startsWith("http://127.0.0.1:");
      for (String id : s.webhooks()) {
        JsonNode hook = api.get("/api/v1/webhooks/" + id, s.apiKey()).json();
        // Ready-made webhooks a newcomer copies should be exemplary: no warnings.
        assertThat(hook.path("warnings")).as(hook.path("name").asText()).isEmpty();
      }

      Set<String> seen = new HashSet<>();
      Set<String> types = new HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      while (System.nanoTime() < deadline) {
        seen.clear();
        types.clear();
        String cursor = null;
        do {
          JsonNode page =
              api.get(
                      "/api/v1/deliveries?limit=200" + (cursor == null ? "" : "&cursor=" + cursor),
                      s.apiKey())
                  .json();
          for (JsonNode d : page.path("items")) {
            types.add(d.path("eventType").asText());
            seen.add(d.path("status").asText() + "/" + d.path("reason").asText(""));
            if (d.path("attemptCount").asInt() > 1) {
              seen.add("retried");
            }
          }
          cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        if (types.size() == 26
            && seen.contains("succeeded/")
            && seen.contains("failed/client_error")
            && seen.contains("retried")) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(types).hasSize(26);
      assertThat(seen).contains("succeeded/", "failed/client_error", "retried");
      assertThat(demo.received()).isGreaterThan(26);
    }
  }

  @Test
  void demoEventsVaryTheSampleButKeepItsShape() {
    EventType call = EventCatalog.bundled().find("call.created").orElseThrow();
    Instant now = Instant.parse("2026-11-29T10:00:00Z");
    JsonNode a = new DemoEvents(new Random(1)).vary(call.sample(), now);
    JsonNode b = new DemoEvents(new Random(2)).vary(call.sample(), now);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.path("id").asText()).startsWith("call_").isNotEqualTo("call_9Qe4Tz7Rm2");
    assertThat(Instant.parse(a.path("startedAt").asText())).isBetween(now.minusSeconds(600), now);
    assertThat(a.path("client").path("email").asText()).endsWith("@example.com");
    Set<String> fields = new HashSet<>();
    a.fieldNames().forEachRemaining(fields::add);
    Set<String> sampleFields = new HashSet<>();
    call.sample().fieldNames().forEachRemaining(sampleFields::add);
    assertThat(fields).isEqualTo(sampleFields);
    assertThat(a.path("tags").isArray()).isTrue();
    assertThat(a.path("durationSeconds").isInt()).isTrue();
  }

  @Test
  void theReceiverAnswersAMixOfOutcomes() {
    assertThat(DemoReceiver.reply(0).status()).isEqualTo(200);
    assertThat(DemoReceiver.reply(70).status()).isEqualTo(500);
    assertThat(DemoReceiver.reply(95).status()).isEqualTo(400);
  }
}
