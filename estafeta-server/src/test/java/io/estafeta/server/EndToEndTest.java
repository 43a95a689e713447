package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.testsupport.LoopbackReceiver;
import io.estafeta.testsupport.LoopbackReceiver.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The running dispatcher, real time: a publish is sent at once and a retry waits its delay. */
class EndToEndTest {
  @Test
  void aFailedAttemptIsRetriedAfterTheRealDelay() throws Exception {
    try (LoopbackReceiver receiver = LoopbackReceiver.start();
        TestServer api =
            TestServer.start(
                Map.of("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8", "ESTAFETA_RETRY_DELAY", "300ms"),
                Clock.systemUTC())) {
      AtomicInteger calls = new AtomicInteger();
      receiver.answer(r -> Reply.status(calls.incrementAndGet() == 1 ? 500 : 204));
      var acc = api.account("e2e");
      api.post(
          "/api/v1/webhooks",
          acc.key(),
          "{\"name\": \"e2e\", \"events\": [\"meeting.created\"], \"method\": \"POST\", \"url\": \""
              + receiver.url("/e2e")
              + "\", \"body\": {\"format\": \"json\", \"template\": \"{\\\"t\\\": {{title}}}\"}}");
      String id =
          api.post(
                  "/api/v1/events",
                  acc.key(),
                  "{\"type\": \"meeting.created\", \"data\": {\"title\": \"Revisión\"}}")
              .json()
              .path("deliveries")
              .get(0)
              .path("id")
              .asText();

      JsonNode d = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        d = api.get("/api/v1/deliveries/" + id, acc.key()).json();
        if (d.path("status").asText().equals("succeeded")) {
          break;
        }
        Thread.sleep(25);
      }
      assertThat(d.path("status").asText()).isEqualTo("succeeded");
      assertThat(d.path("attempts")).hasSize(2);
      Instant first = Instant.parse(d.path("attempts").get(0).path("startedAt").asText());
      Instant second = Instant.parse(d.path("attempts").get(1).path("startedAt").asText());
      long firstMs = d.path("attempts").get(0).path("durationMs").asLong();
      assertThat(Duration.between(first.plusMillis(firstMs), second))
          .isGreaterThanOrEqualTo(Duration.ofMillis(299));
      assertThat(receiver.received()).hasSize(2);
      assertThat(receiver.received().get(1).body()).isEqualTo("{\"t\": \"Revisión\"}");
    }
  }
}
