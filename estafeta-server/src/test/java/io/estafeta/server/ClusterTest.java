package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.testsupport.LoopbackReceiver;
import io.estafeta.testsupport.LoopbackReceiver.Reply;
import io.estafeta.testsupport.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Three server processes share one PostgreSQL: 10,000 events fanned out to 2 webhooks each, every
 * delivery arrives, and none twice while nothing crashes; then again with one node killed by
 * SIGKILL mid-run: nothing lost, duplicates counted.
 */
class ClusterTest {
  static final int EVENTS = 10_000;

  record Outcome(int accepted, int requests, int distinct, int lost) {}

  Outcome run(boolean killOne) throws Exception {
    Path log = Path.of("target", "cluster-test-" + (killOne ? "kill" : "clean") + ".log");
    Files.createDirectories(log.getParent());
    try (TestDatabase db = TestDatabase.create();
        LoopbackReceiver receiver = LoopbackReceiver.start()) {
      Map<String, String> env = new HashMap<>(db.env());
      env.put("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8");
      // Short, so the killed node's claims come due again within the test; long enough that a
      // stall of the machine under a loaded CI does not pass for a dead node.
      env.put("ESTAFETA_LEASE", "10s");
      Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
      receiver.answer(r -> {
        seen.computeIfAbsent(r.header("webhook-id"), k -> new AtomicInteger()).incrementAndGet();
        return Reply.status(200);
      });
      // Three nodes start at the same moment: the migrations must run once and safely.
      List<ServerProcess> nodes = new ArrayList<>();
      List<Thread> starting = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      int[] ports = {ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort()};
      ServerProcess[] started = new ServerProcess[3];
      for (int i = 0; i < 3; i++) {
        int n = i;
        starting.add(
            Thread.ofPlatform()
                .start(() -> {
                  try {
                    started[n] =
                        ServerProcess.estafeta(ports[n])
                            .env(
                                "ESTAFETA_DATA_DIR",
                                Files.createTempDirectory("estafeta-node").toString())
                            .env("ESTAFETA_ADMIN_TOKEN", TestServer.ADMIN)
                            .env(env)
                            .log(log)
                            .start();
                  } catch (Exception e) {
                    failures.add(e);
                  }
                }));
      }
      for (Thread t : starting) {
        t.join();
      }
      assertThat(failures).isEmpty();
      nodes.addAll(List.of(started));
      try {
        String key =
            TestServer.JSON
                .readTree(
                    CrashTest.ok(
                        nodes.get(0),
                        "POST",
                        "/api/v1/accounts",
                        TestServer.ADMIN,
                        "{\"name\": \"c\"}"))
                .path("apiKey")
                .asText();
        for (String path : List.of("/one", "/two")) {
          CrashTest.ok(
              nodes.get(1),
              "POST",
              "/api/v1/webhooks",
              key,
              "{\"name\": \"w\", \"events\": [\"call.created\"], \"method\": \"POST\", \"url\": \""
                  + receiver.url(path)
                  + "\", \"body\": {\"format\": \"json\", \"template\": \"{\\\"id\\\": {{id}}}\"}}");
        }
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        // Producers publish through every node, in batches of 100.
        List<Thread> producers = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        for (int p = 0; p < 3; p++) {
          int node = p;
          producers.add(
              Thread.ofPlatform()
                  .start(() -> {
                    try {
                      int b;
                      while ((b = batches.getAndIncrement()) < EVENTS / 100) {
                        StringBuilder events = new StringBuilder("{\"events\": [");
                        for (int i = 0; i < 100; i++) {
                          events
                              .append(i == 0 ? "" : ",")
                              .append("{\"type\": \"call.created\", \"data\": {\"id\": \"c")
                              .append(b * 100 + i)
                              .append("\"}}");
                        }
                        events.append("]}");
                        var answer =
                            TestServer.JSON.readTree(
                                CrashTest.ok(
                                    nodes.get(node),
                                    "POST",
                                    "/api/v1/events/batch",
                                    key,
                                    events + ""));
                        answer
                            .path("items")
                            .forEach(e ->
                                e.path("deliveries")
                                    .forEach(d -> accepted.add(d.path("id").asText())));
                        if (killOne && node == 0 && b >= EVENTS / 200) {
                          return;
                        }
                      }
                    } catch (Exception e) {
                      failures.add(e);
                    }
                  }));
        }
        if (killOne) {
          // Node 0 stops taking events early (a killed node's open requests would simply not be
          // accepted), but keeps delivering until it is killed with its attempts under way.
          producers.get(0).join();
          CrashTest.waitUntil(() -> seen.size() >= EVENTS / 2, Duration.ofSeconds(120));
          nodes.get(0).kill();
        }
        for (Thread t : producers) {
          t.join();
        }
        assertThat(failures).isEmpty();
        CrashTest.waitUntil(() -> seen.keySet().containsAll(accepted), Duration.ofSeconds(180));
        int requests = receiver.received().size();
        Set<String> lost = new HashSet<>(accepted);
        lost.removeAll(seen.keySet());
        return new Outcome(accepted.size(), requests, seen.size(), lost.size());
      } finally {
        nodes.forEach(ServerProcess::close);
      }
    }
  }

  @Test
  void threeNodesShareTheWorkWithoutLosingOrRepeatingIt() throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(), "the cluster runs on PostgreSQL only");
    Outcome clean = run(false);
    System.out.println("cluster, no crash: " + clean);
    assertThat(clean.accepted()).isEqualTo(EVENTS * 2);
    assertThat(clean.lost()).isZero();
    assertThat(clean.requests()).isEqualTo(EVENTS * 2);

    Outcome killed = run(true);
    System.out.println(
        "cluster, one node killed: "
            + killed
            + " duplicates="
            + (killed.requests() - killed.distinct()));
    assertThat(killed.lost()).isZero();
    assertThat(killed.distinct()).isEqualTo(killed.accepted());
  }
}
