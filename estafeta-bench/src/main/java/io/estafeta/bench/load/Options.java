package io.estafeta.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's settings, from its command line.
 *
 * @param events events of the 1-webhook scenario's full-rate phase; the other scenarios scale from
 *     it (see {@code docs/performance.md})
 * @param warmUp events published and delivered, unmeasured, before each scenario's phases
 * @param scenarios which to run, in order
 * @param dbUrl a {@code jdbc:postgresql://127.0.0.1…} URL, or null for SQLite
 * @param runs how many times to run every scenario; the table shows the median
 * @param pacedRate events/s of the half-rate phase, or 0 for half the batch phase's rate
 */
public record Options(
    long events,
    long warmUp,
    List<String> scenarios,
    String dbUrl,
    int runs,
    String receiver,
    int batchProducers,
    int singleProducers,
    int pacedSeconds,
    int pacedBatch,
    int pacedRate,
    long claimRows,
    int claimSamples,
    int slowPorts,
    int slowDelayMs,
    int slowMaxPerHost,
    String serverHeap,
    List<String> serverJvm,
    List<Integer> limitConcurrency,
    int quietWaitSeconds,
    int disturbedRepeats,
    Path out) {

  public static final List<String> ALL = List.of("one", "limit", "five", "retry", "slow", "claim");

  public static final String USAGE =
      """
      usage: ./estafeta bench [options]
        --events N           events of the 1-webhook full-rate phase (default 30000); the other
                             scenarios scale from it
        --warm-up N          events published and delivered first, unmeasured, in each scenario
                             (default: a tenth of --events)
        --scenario NAME      one, limit, five, retry, slow, claim (repeatable; default all)
        --db-url URL         jdbc:postgresql://127.0.0.1:5432/DB: run on PostgreSQL, each scenario
                             in a fresh schema bench_<random>, dropped afterwards (default SQLite)
        --runs N             run everything N times and report the median (default 1)
        --receiver IMPL      jetty or jdk (default jetty)
        --producers N        producer threads of the batch publishes (default 4)
        --single-producers N producer threads of the single-event publishes (default 16)
        --paced-seconds N    length of the half-rate latency phase (default 10)
        --paced-batch N      events per request in the half-rate phase (default 10)
        --paced-rate N       events/s of the half-rate phase (default: half the batch phase's
                             deliveries/s); a fixed rate compares latency across code changes
        --claim-rows N       finished deliveries in the big claim table (default 1000000)
        --claim-samples N    timed claims at each table size (default 300)
        --slow-ports N       receiver ports of the slow scenario (default 64)
        --slow-delay-ms N    the slow receiver's delay (default 200)
        --slow-max-per-host N  ESTAFETA_MAX_PER_HOST of the slow scenario's server (default
                             10000: its ports all stand for different destinations)
        --server-heap SIZE   the server's -Xmx (default 1g; the slow scenario always uses 512m)
        --server-jvm OPT     one more JVM option for the server (repeatable)
        --limit-concurrency N,N,...  virtual threads of the no-database limit (default 20,32,128,1000)
        --quiet-wait N       before each scenario, wait up to N s for other processes to leave
                             the CPU idle (default 300; 0 to start at once)
        --disturbed-repeats N  measure a scenario again, up to N times, when other processes used
                             more than 0.3 cores during it (default 2)
        --out DIR            where the JSON results go (default estafeta-bench/target)
      """;

  public static Options parse(String[] args) {
    long events = 30_000;
    long warmUp = -1;
    List<String> scenarios = new ArrayList<>();
    String dbUrl = null;
    int runs = 1;
    String receiver = "jetty";
    int batchProducers = 4;
    int singleProducers = 16;
    int pacedSeconds = 10;
    int pacedBatch = 10;
    int pacedRate = 0;
    long claimRows = 1_000_000;
    int claimSamples = 300;
    int slowPorts = 64;
    int slowDelayMs = 200;
    int slowMaxPerHost = 10_000;
    String serverHeap = "1g";
    List<String> serverJvm = new ArrayList<>();
    List<Integer> limitConcurrency = List.of(20, 32, 128, 1000);
    Path out = Path.of("estafeta-bench", "target");
    int quietWait = 300;
    int disturbedRepeats = 2;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        throw new IllegalArgumentException("");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--events" -> events = positive(a, v);
        case "--warm-up" -> warmUp = positive(a, v);
        case "--scenario" -> {
          for (String s : v.split(",")) {
            if (!ALL.contains(s)) {
              throw new IllegalArgumentException("unknown scenario " + s + "; one of " + ALL);
            }
            scenarios.add(s);
          }
        }
        case "--db-url" -> {
          if (!v.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db-url must be a jdbc:postgresql:// URL");
          }
          BenchDatabase.checkLoopback(v);
          dbUrl = v;
        }
        case "--runs" -> runs = (int) positive(a, v);
        case "--receiver" -> {
          if (!v.equals("jetty") && !v.equals("jdk")) {
            throw new IllegalArgumentException("--receiver is jetty or jdk");
          }
          receiver = v;
        }
        case "--producers" -> batchProducers = (int) positive(a, v);
        case "--single-producers" -> singleProducers = (int) positive(a, v);
        case "--paced-seconds" -> pacedSeconds = (int) positive(a, v);
        case "--paced-batch" -> pacedBatch = (int) positive(a, v);
        case "--paced-rate" -> pacedRate = (int) positive(a, v);
        case "--claim-rows" -> claimRows = positive(a, v);
        case "--claim-samples" -> claimSamples = (int) positive(a, v);
        case "--slow-ports" -> slowPorts = (int) positive(a, v);
        case "--slow-delay-ms" -> slowDelayMs = (int) positive(a, v);
        case "--slow-max-per-host" -> slowMaxPerHost = (int) positive(a, v);
        case "--server-heap" -> serverHeap = v;
        case "--server-jvm" -> serverJvm.add(v);
        case "--limit-concurrency" -> {
          List<Integer> c = new ArrayList<>();
          for (String s : v.split(",")) {
            c.add((int) positive(a, s));
          }
          limitConcurrency = List.copyOf(c);
        }
        case "--out" -> out = Path.of(v);
        case "--quiet-wait" -> quietWait = Integer.parseInt(v);
        case "--disturbed-repeats" -> disturbedRepeats = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (scenarios.isEmpty()) {
      scenarios.addAll(ALL);
    }
    // The limit sends the requests the 1-webhook scenario's webhook renders: run it after that.
    return new Options(
        events,
        warmUp < 0 ? events / 10 : warmUp,
        List.copyOf(scenarios),
        dbUrl,
        runs,
        receiver,
        batchProducers,
        singleProducers,
        pacedSeconds,
        pacedBatch,
        pacedRate,
        claimRows,
        claimSamples,
        slowPorts,
        slowDelayMs,
        slowMaxPerHost,
        serverHeap,
        List.copyOf(serverJvm),
        limitConcurrency,
        quietWait,
        disturbedRepeats,
        out);
  }

  public String database() {
    return dbUrl == null ? "sqlite" : "postgresql";
  }

  private static long positive(String option, String v) {
    try {
      long n = Long.parseLong(v.replace("_", ""));
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a positive whole number, not " + v);
    }
  }
}
