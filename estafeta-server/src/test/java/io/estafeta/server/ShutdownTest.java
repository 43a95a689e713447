package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.testsupport.LoopbackReceiver;
import io.estafeta.testsupport.LoopbackReceiver.Reply;
import io.estafeta.testsupport.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SIGTERM stops claiming, lets attempts under way finish and records them, then exits. */
class ShutdownTest {
  @Test
  void sigtermFinishesAttemptsUnderWayAndRecordsThem() throws Exception {
    Path dir = Files.createTempDirectory("estafeta-term");
    Path log = Path.of("target", "shutdown-test-server.log");
    Files.createDirectories(log.getParent());
    int port = ServerProcess.freePort();
    try (TestDatabase db = TestDatabase.create();
        LoopbackReceiver receiver = LoopbackReceiver.start()) {
      Map<String, String> env = new java.util.HashMap<>(db.env());
      env.put("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8");
      receiver.answer(r -> new Reply(200, Map.of(), "", Duration.ofSeconds(2)));
      // The same node each time it is started: its data directory, database and log.
      ServerProcess.Launch node =
          ServerProcess.estafeta(port)
              .env("ESTAFETA_DATA_DIR", dir.toString())
              .env("ESTAFETA_ADMIN_TOKEN", TestServer.ADMIN)
              .env(env)
              .log(log);
      ServerProcess server = node.start();
      String key =
          TestServer.JSON
              .readTree(
                  server
                      .call("POST", "/api/v1/accounts", TestServer.ADMIN, "{\"name\": \"t\"}")
                      .body())
              .path("apiKey")
              .asText();
      server.call(
          "POST",
          "/api/v1/webhooks",
          key,
          "{\"name\": \"slow\", \"events\": [\"user.created\"], \"method\": \"POST\", \"url\": \""
              + receiver.url("/slow")
              + "\"}");
      List<String> deliveries = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        var answer =
            server.call(
                "POST", "/api/v1/events", key, "{\"type\": \"user.created\", \"data\": {}}");
        assertThat(answer.statusCode()).isEqualTo(202);
        deliveries.add(
            TestServer.JSON.readTree(answer.body()).path("deliveries").get(0).path("id").asText());
      }
      CrashTest.waitUntil(() -> receiver.received().size() == 5, Duration.ofSeconds(10));

      Duration took = server.terminate();
      assertThat(took).isLessThan(Duration.ofSeconds(30));
      assertThat(took).isGreaterThan(Duration.ofMillis(500));

      // After a restart, the attempts that were under way are recorded: none is sent again.
      ServerProcess again = node.start();
      try {
        for (String id : deliveries) {
          var d =
              TestServer.JSON.readTree(
                  again.call("GET", "/api/v1/deliveries/" + id, key, null).body());
          assertThat(d.path("status").asText()).as(id).isEqualTo("succeeded");
          assertThat(d.path("attempts")).hasSize(1);
        }
        Thread.sleep(500);
        assertThat(receiver.received()).hasSize(5);
      } finally {
        again.kill();
      }
    }
  }
}
