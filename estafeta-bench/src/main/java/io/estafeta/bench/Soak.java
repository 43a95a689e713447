package io.estafeta.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.bench.load.Api;
import io.estafeta.bench.load.BenchDatabase;
import io.estafeta.bench.load.Events;
import io.estafeta.bench.load.Producers;
import io.estafeta.bench.load.ReceiverProcess;
import io.estafeta.bench.load.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The soak run of issue 8: a fixed rate of events for a long time, sampling the server's heap, RSS,
 * threads and queue depth every period, then checking that every accepted delivery arrived. Usage:
 * {@code Soak [minutes] [events/s] [--db-url URL]}. Loopback only; bounded by its minutes.
 */
public final class Soak {
  private Soak() {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : 800;
    String dbUrl = args.length > 3 && args[2].equals("--db-url") ? args[3] : null;
    Path out = Path.of("estafeta-bench", "target", "soak");
    Files.createDirectories(out);
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode().put("minutes", minutes).put("rate", rate);
    ArrayNode samples = report.putArray("samples");
    try (ReceiverProcess receiver = ReceiverProcess.start("jetty", 1, out.resolve("receiver.log"));
        BenchDatabase db = BenchDatabase.create(dbUrl);
        ServerProcess server =
            ServerProcess.start(
                db,
                Map.of("ESTAFETA_RETRY_DELAY", "5s"),
                "512m",
                List.of(),
                out.resolve("server.log"));
        Api api = new Api(server.port())) {
      // 2 % of answers are 503: retries run all along, and must all end delivered.
      receiver.reset(0.02, 0);
      Api.Account account = api.createAccount(server.adminToken(), "soak");
      api.createWebhook(account.apiKey(), Events.webhook(receiver.base(0), "/soak"));
      long accepted = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
      int period = 30;
      int i = 0;
      while (System.nanoTime() < deadline) {
        Producers.Published p =
            Producers.paced(
                api, account.apiKey(), "k" + i++ + "-", (long) (rate * period), 10, rate, 256);
        accepted += p.accepted();
        double[] heap = server.heapMib();
        String metrics = api.get("/metrics");
        ObjectNode s =
            samples
                .addObject()
                .put("minute", (i * period) / 60.0)
                .put("accepted", accepted)
                .put("delivered", receiver.ok())
                .put("heapUsedMib", heap[0])
                .put("rssPeakMib", server.peakRssMib())
                .put("threads", server.threadsNow())
                .put("queueDue", gauge(metrics, "estafeta_queue_due"))
                .put("queueWaiting", gauge(metrics, "estafeta_queue_waiting"))
                .put("publishErrors", p.errors());
        System.out.println(s);
      }
      boolean complete = receiver.awaitOk(accepted, Duration.ofMinutes(3));
      report.put("accepted", accepted).put("delivered", receiver.ok()).put("complete", complete);
      System.out.println(
          "soak: accepted=" + accepted + " delivered=" + receiver.ok() + " complete=" + complete);
    }
    json.writerWithDefaultPrettyPrinter().writeValue(out.resolve("soak.json").toFile(), report);
  }

  private static double gauge(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
        .findFirst()
        .orElse(-1);
  }
}
