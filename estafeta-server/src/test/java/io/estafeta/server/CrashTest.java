package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.testsupport.LoopbackReceiver;
import io.estafeta.testsupport.LoopbackReceiver.Reply;
import io.estafeta.testsupport.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 while attempts are in flight and while retries wait: after a restart, every event that
 * was accepted with a 202 is delivered at least once. Duplicates are counted and reported.
 */
class CrashTest {
  /** A call that must succeed: its body. */
  static String ok(ServerProcess server, String method, String path, String token, String body)
      throws Exception {
    var r = server.call(method, path, token, body);
    if (r.statusCode() >= 300) {
      throw new AssertionError(method + " " + path + " → " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  @Test
  void nothingAcceptedIsLostWhenTheServerIsKilled() throws Exception {
    Path dir = Files.createTempDirectory("estafeta-crash");
    Path log = Path.of("target", "crash-test-server.log");
    Files.createDirectories(log.getParent());
    int port = ServerProcess.freePort();

    try (TestDatabase db = TestDatabase.create();
        LoopbackReceiver receiver = LoopbackReceiver.start()) {
      Map<String, String> env = new java.util.HashMap<>(db.env());
      env.put("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8");
      env.put("ESTAFETA_RETRY_DELAY", "1s");
      // After a kill the dead process's leases must expire before its work is taken again:
      // short here, so the test does not wait minutes (SQLite gives them back at start anyway).
      env.put("ESTAFETA_LEASE", "5s");
      Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
      // Half the deliveries fail once (so retries wait at the kill), all answer slowly (so
      // attempts are in flight at the kill).
      receiver.answer(r -> {
        int n =
            seen.computeIfAbsent(r.header("webhook-id"), k -> new AtomicInteger())
                .incrementAndGet();
        boolean flaky = r.pathAndQuery().startsWith("/flaky");
        return new Reply(flaky && n == 1 ? 503 : 200, Map.of(), "", Duration.ofMillis(40));
      });

      Set<String> accepted = new HashSet<>();
      int acceptedBeforeKill = 0;
      // The same node each time it is started: its data directory, database and log.
      ServerProcess.Launch node =
          ServerProcess.estafeta(port)
              .env("ESTAFETA_DATA_DIR", dir.toString())
              .env("ESTAFETA_ADMIN_TOKEN", TestServer.ADMIN)
              .env(env)
              .log(log);
      ServerProcess server = node.start();
      String account =
          TestServer.JSON
              .readTree(
                  ok(server, "POST", "/api/v1/accounts", TestServer.ADMIN, "{\"name\": \"crash\"}"))
              .path("apiKey")
              .asText();
      for (String path : List.of("/steady", "/flaky")) {
        ok(
            server,
            "POST",
            "/api/v1/webhooks",
            account,
            "{\"name\": \"w\", \"events\": [\"call.created\"], \"method\": \"POST\", \"url\": \""
                + receiver.url(path + "/{{id}}")
                + "\", \"body\": {\"format\": \"json\", \"template\": \"{\\\"id\\\": {{id}}}\"}}");
      }
      int events = 400;
      for (int i = 0; i < events; i++) {
        String answer =
            ok(
                server,
                "POST",
                "/api/v1/events",
                account,
                "{\"type\": \"call.created\", \"data\": {\"id\": \"c" + i + "\"}}");
        TestServer.JSON
            .readTree(answer)
            .path("deliveries")
            .forEach(d -> accepted.add(d.path("id").asText()));
        if (i == events / 2) {
          // Halfway through publishing, attempts are under way and retries are waiting.
          waitUntil(() -> receiver.received().size() >= 50, Duration.ofSeconds(20));
          acceptedBeforeKill = accepted.size();
          server.kill();
          server = node.start();
        }
      }
      assertThat(accepted).hasSize(events * 2);
      final ServerProcess last = server;
      waitUntil(
          () -> seen.keySet().containsAll(accepted) && allSteadyDone(seen, receiver),
          Duration.ofSeconds(90));
      last.kill();

      int requests = receiver.received().size();
      Set<String> delivered = new HashSet<>(seen.keySet());
      assertThat(delivered).containsAll(accepted);
      // Every flaky delivery needs two requests; anything beyond that is a duplicate.
      long flakyIds =
          receiver.received().stream()
              .filter(r -> r.pathAndQuery().startsWith("/flaky"))
              .map(r -> r.header("webhook-id"))
              .distinct()
              .count();
      long duplicates = requests - accepted.size() - flakyIds;
      System.out.println(
          "crash test: accepted deliveries="
              + accepted.size()
              + " requests="
              + requests
              + " duplicates="
              + duplicates);
      assertThat(duplicates).isGreaterThanOrEqualTo(0);
      // Duplicates can only come from attempts in flight at the kill: at most what was accepted.
      assertThat(duplicates).isLessThanOrEqualTo(acceptedBeforeKill);
    }
  }

  private static boolean allSteadyDone(Map<String, AtomicInteger> seen, LoopbackReceiver receiver) {
    // Each flaky delivery is done once it has been answered twice (503 then 200).
    return receiver.received().stream()
        .filter(r -> r.pathAndQuery().startsWith("/flaky"))
        .map(r -> r.header("webhook-id"))
        .distinct()
        .allMatch(id -> seen.get(id).get() >= 2);
  }

  static void waitUntil(java.util.function.BooleanSupplier done, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done within " + max);
      }
      Thread.sleep(50);
    }
  }
}
