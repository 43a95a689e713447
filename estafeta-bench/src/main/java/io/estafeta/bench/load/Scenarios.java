package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The load scenarios. Each starts a fresh server (and database) of its own, sets up accounts and
 * webhooks through the API, warms the server up, and measures one or more phases against the shared
 * receiver.
 */
public final class Scenarios {
  /** Every scenario's server retries after 1 s, 2 s, 3 s: retries happen within the run. */
  static final Map<String, String> SERVER_ENV = Map.of("ESTAFETA_RETRY_DELAY", "1s");

  private final Options options;
  private final ReceiverProcess receiver;
  private final Path logDir;
  private final boolean postgres;
  private JsonNode preview;

  public Scenarios(Options options, ReceiverProcess receiver, Path logDir) {
    this.options = options;
    this.receiver = receiver;
    this.logDir = logDir;
    this.postgres = options.dbUrl() != null;
  }

  public Metrics run(String name, int run) throws Exception {
    double busy = Quiet.await(Duration.ofSeconds(options.quietWaitSeconds()));
    System.err.println("bench: run " + run + ", scenario " + name + " on " + options.database());
    Metrics m =
        switch (name) {
          case "one" -> one(run);
          case "limit" -> limit(run);
          case "five" -> five(run);
          case "retry" -> retry(run);
          case "slow" -> slow(run);
          case "claim" -> ClaimBench.run(options, postgres);
          default -> throw new IllegalArgumentException(name);
        };
    m.put(name + ".other_cores_before", busy);
    return m;
  }

  private ServerProcess server(BenchDatabase db, String name, int run, String heap)
      throws IOException, InterruptedException {
    return server(db, name, run, heap, Map.of());
  }

  private ServerProcess server(
      BenchDatabase db, String name, int run, String heap, Map<String, String> env)
      throws IOException, InterruptedException {
    Path log = logDir.resolve("server-" + options.database() + "-" + name + "-" + run + ".log");
    Map<String, String> all = new java.util.HashMap<>(SERVER_ENV);
    all.putAll(env);
    return ServerProcess.start(db, all, heap, options.serverJvm(), log);
  }

  /**
   * One webhook per event: full rate with batches of 100, full rate with single events, then a
   * paced phase at half the full-rate delivery rate for the latency target.
   */
  private Metrics one(int run) throws Exception {
    Metrics m = new Metrics();
    try (BenchDatabase db = BenchDatabase.create(options.dbUrl());
        ServerProcess server = server(db, "one", run, options.serverHeap());
        Api api = new Api(server.port())) {
      Api.Account account = api.createAccount(server.adminToken(), "bench one");
      String webhook =
          api.createWebhook(account.apiKey(), Events.webhook(receiver.base(0), "/one"));
      StringBuilder sample = new StringBuilder("{\"type\":\"" + Events.TYPE + "\",\"data\":");
      Events.data(sample, 1, Clocks.nowMicros());
      preview = api.preview(account.apiKey(), webhook, sample.append('}').toString());
      List<String> keys = List.of(account.apiKey());
      long n = options.events();
      m.put("one.warm_up_events", warmUp(api, keys, options.warmUp(), 1, server));

      Metrics batch = closedLoop(server, api, keys, "b", n, 100, options.batchProducers(), 1);
      prefix(m, "one.batch.", batch);
      Metrics single = closedLoop(server, api, keys, "s", n / 3, 1, options.singleProducers(), 1);
      prefix(m, "one.single.", single);

      // Half the maximum: the full-rate phase's delivery rate.
      double rate =
          options.pacedRate() > 0 ? options.pacedRate() : batch.get("deliveries_per_s") / 2;
      long events = Math.max(options.pacedBatch(), (long) (rate * options.pacedSeconds()));
      receiver.reset(0, 0);
      Phase.Snapshot before = Phase.snapshot(server, receiver, options.dbUrl());
      Producers.Published p =
          Producers.paced(api, account.apiKey(), "h", events, options.pacedBatch(), rate, 256);
      boolean complete = receiver.awaitOk(p.accepted(), Phase.timeout(p.accepted()));
      Phase.Snapshot after = Phase.snapshot(server, receiver, options.dbUrl());
      m.put("one.half.target_events_per_s", rate);
      Phase.record(
          m, "one.half.", p, p.accepted(), complete, before, after, receiver.stats(), postgres);
      m.put("one.server_peak_rss_mib", server.peakRssMib());
      m.put("one.server_peak_threads", server.peakThreads());
    }
    return m;
  }

  /** Five webhooks per event, batches of 100 at full rate. */
  private Metrics five(int run) throws Exception {
    Metrics m = new Metrics();
    try (BenchDatabase db = BenchDatabase.create(options.dbUrl());
        ServerProcess server = server(db, "five", run, options.serverHeap());
        Api api = new Api(server.port())) {
      Api.Account account = api.createAccount(server.adminToken(), "bench five");
      for (int i = 0; i < 5; i++) {
        api.createWebhook(account.apiKey(), Events.webhook(receiver.base(0), "/five" + i));
      }
      List<String> keys = List.of(account.apiKey());
      long n = Math.max(100, options.events() / 5);
      m.put("five.warm_up_events", warmUp(api, keys, options.warmUp() / 5, 5, server));
      prefix(m, "five.", closedLoop(server, api, keys, "f", n, 100, options.batchProducers(), 5));
      m.put("five.server_peak_rss_mib", server.peakRssMib());
      m.put("five.server_peak_threads", server.peakThreads());
    }
    return m;
  }

  /** One webhook per event, 10% of answers 500, retries after 1 s × n. */
  private Metrics retry(int run) throws Exception {
    Metrics m = new Metrics();
    try (BenchDatabase db = BenchDatabase.create(options.dbUrl());
        ServerProcess server = server(db, "retry", run, options.serverHeap());
        Api api = new Api(server.port())) {
      Api.Account account = api.createAccount(server.adminToken(), "bench retry");
      api.createWebhook(account.apiKey(), Events.webhook(receiver.base(0), "/retry"));
      List<String> keys = List.of(account.apiKey());
      long n = Math.max(100, options.events() / 2);
      m.put("retry.warm_up_events", warmUp(api, keys, options.warmUp() / 2, 1, server));
      receiver.reset(0.10, 0);
      Phase.Snapshot before = Phase.snapshot(server, receiver, options.dbUrl());
      Producers.Published p =
          Producers.closedLoop(api, keys, "r", n, 100, options.batchProducers());
      boolean complete = receiver.awaitOk(p.accepted(), Phase.timeout(p.accepted()));
      Phase.Snapshot after = Phase.snapshot(server, receiver, options.dbUrl());
      JsonNode stats = receiver.stats();
      Phase.record(m, "retry.", p, p.accepted(), complete, before, after, stats, postgres);
      long attempts = stats.path("requests").asLong();
      double seconds = (stats.path("lastOkMicros").asLong() - p.startMicros()) / 1e6;
      m.put("retry.answers_5xx_fraction", stats.path("failed").asDouble() / attempts);
      m.put("retry.attempts_per_s", attempts / seconds);
      long peak = 0;
      for (JsonNode s : stats.path("perSecond")) {
        peak = Math.max(peak, s.asLong());
      }
      m.put("retry.attempts_per_s_best_second", peak);
      m.put("retry.server_peak_rss_mib", server.peakRssMib());
    }
    return m;
  }

  /**
   * A slow receiver: every answer after 200 ms, the server at -Xmx512m. The receiver stands for
   * many destinations: one account per receiver port (the connection pool's per-route cap applies
   * per port), and the per-host cap lifted ({@code ESTAFETA_MAX_PER_HOST}), since every port is on
   * 127.0.0.1; so only the server's own global limits cap how many deliveries are in flight.
   */
  private Metrics slow(int run) throws Exception {
    Metrics m = new Metrics();
    try (BenchDatabase db = BenchDatabase.create(options.dbUrl());
        ServerProcess server =
            server(
                db,
                "slow",
                run,
                "512m",
                Map.of("ESTAFETA_MAX_PER_HOST", Integer.toString(options.slowMaxPerHost())));
        Api api = new Api(server.port())) {
      int ports = Math.min(options.slowPorts(), receiver.ports().size());
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < ports; i++) {
        Api.Account a = api.createAccount(server.adminToken(), "bench slow " + i);
        api.createWebhook(a.apiKey(), Events.webhook(receiver.base(i), "/slow"));
        keys.add(a.apiKey());
      }
      long n = Math.max(100, options.events() / 2);
      receiver.reset(0, options.slowDelayMs());
      long warm =
          warmUp(
              api,
              keys,
              Math.min(options.warmUp() / 2, 100L * ports),
              1,
              server,
              options.slowDelayMs());
      Metrics phase;
      try (InFlightSampler inFlight = new InFlightSampler(api)) {
        phase =
            closedLoopWithDelay(
                server, api, keys, "w", n, 100, options.batchProducers(), options.slowDelayMs());
        phase.put("server_max_in_flight", inFlight.peak());
      }
      prefix(m, "slow.", phase);
      m.put("slow.warm_up_events", warm);
      m.put("slow.delay_ms", options.slowDelayMs());
      m.put("slow.max_per_host", options.slowMaxPerHost());
      m.put("slow.server_xmx_mib", 512);
      m.put("slow.server_peak_rss_mib", server.peakRssMib());
      m.put("slow.server_peak_threads", server.peakThreads());
      m.put("slow.server_threads_after", server.threadsNow());
      double[] heap = server.heapMib();
      m.put("slow.heap_used_after_mib", heap[0]);
      m.put("slow.heap_committed_after_mib", heap[1]);
      server.gc();
      m.put("slow.heap_used_after_gc_mib", server.heapMib()[0]);
    }
    return m;
  }

  /** The no-database limit, with the requests the 1-webhook scenario's webhook renders. */
  private Metrics limit(int run) throws Exception {
    if (preview == null) {
      // Run alone: render the requests on a short-lived server.
      try (BenchDatabase db = BenchDatabase.create(options.dbUrl());
          ServerProcess server = server(db, "limit-preview", run, options.serverHeap());
          Api api = new Api(server.port())) {
        Api.Account account = api.createAccount(server.adminToken(), "bench limit");
        String webhook =
            api.createWebhook(account.apiKey(), Events.webhook(receiver.base(0), "/one"));
        StringBuilder sample = new StringBuilder("{\"type\":\"" + Events.TYPE + "\",\"data\":");
        Events.data(sample, 1, Clocks.nowMicros());
        preview = api.preview(account.apiKey(), webhook, sample.append('}').toString());
      }
    }
    return Limit.run(options, receiver, preview);
  }

  private long warmUp(Api api, List<String> keys, long events, int fanout, ServerProcess server)
      throws Exception {
    return warmUp(api, keys, events, fanout, server, 0);
  }

  /**
   * Publishes and delivers first, unmeasured, so that the phases measure a warm server: rounds of
   * {@code events} in batches of 100, a tenth as many in the half phase's batches and a thirtieth
   * one by one, until its JIT compilers took less than {@link #JIT_SETTLED} of the time of {@link
   * #QUIET_ROUNDS} rounds in a row, at most {@link #WARM_UP_ROUNDS}. A server just started spends
   * up to a core compiling for half a minute or more; measured then, it is measured warming up.
   *
   * @return the events published
   */
  private long warmUp(
      Api api, List<String> keys, long events, int fanout, ServerProcess server, long delayMs)
      throws Exception {
    receiver.reset(0, delayMs);
    long published = 0;
    int quietRounds = 0;
    for (int round = 1; ; round++) {
      double compiledBefore = server.compileMillis();
      long started = System.nanoTime();
      String tag = "warm" + round + "-";
      long batched = Math.max(100, events);
      published +=
          Producers.closedLoop(api, keys, tag, batched, 100, options.batchProducers()).accepted();
      // The phases also publish small batches and single events, which take other paths through
      // the server (and other branches of the same ones): compile those too.
      published +=
          Producers.closedLoop(
                  api, keys, tag + "p", Math.max(10, batched / 10), options.pacedBatch(), 2)
              .accepted();
      published +=
          Producers.closedLoop(
                  api, keys, tag + "s", Math.max(1, batched / 30), 1, options.singleProducers())
              .accepted();
      if (!receiver.awaitOk(published * fanout, Phase.timeout(published * fanout))) {
        System.err.println("bench: warm-up deliveries did not all arrive");
        return published;
      }
      double share =
          (server.compileMillis() - compiledBefore) / ((System.nanoTime() - started) / 1e6);
      // One quiet round can be a lull between two large compilations.
      quietRounds = share < JIT_SETTLED ? quietRounds + 1 : 0;
      if (quietRounds == QUIET_ROUNDS || round == WARM_UP_ROUNDS) {
        return published;
      }
    }
  }

  private static final double JIT_SETTLED = 0.05;
  private static final int QUIET_ROUNDS = 3;
  private static final int WARM_UP_ROUNDS = 60;

  private Metrics closedLoop(
      ServerProcess server,
      Api api,
      List<String> keys,
      String tag,
      long events,
      int batch,
      int producers,
      int fanout)
      throws Exception {
    receiver.reset(0, 0);
    return measure(server, api, keys, tag, events, batch, producers, fanout);
  }

  private Metrics closedLoopWithDelay(
      ServerProcess server,
      Api api,
      List<String> keys,
      String tag,
      long events,
      int batch,
      int producers,
      long delayMs)
      throws Exception {
    receiver.reset(0, delayMs);
    return measure(server, api, keys, tag, events, batch, producers, 1);
  }

  private Metrics measure(
      ServerProcess server,
      Api api,
      List<String> keys,
      String tag,
      long events,
      int batch,
      int producers,
      int fanout)
      throws Exception {
    Metrics m = new Metrics();
    Phase.Snapshot before = Phase.snapshot(server, receiver, options.dbUrl());
    Producers.Published p = Producers.closedLoop(api, keys, tag, events, batch, producers);
    long expected = p.accepted() * fanout;
    boolean complete = receiver.awaitOk(expected, Phase.timeout(expected));
    Phase.Snapshot after = Phase.snapshot(server, receiver, options.dbUrl());
    Phase.record(m, "", p, expected, complete, before, after, receiver.stats(), postgres);
    m.put("server_threads_end", server.threadsNow());
    return m;
  }

  private static void prefix(Metrics into, String prefix, Metrics from) {
    from.values().forEach((k, v) -> into.put(prefix + k, v));
  }
}
