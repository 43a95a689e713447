package io.estafeta.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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

  private static final Set<String> NAMES =
      Set.of(
          "--events",
          "--warm-up",
          "--scenario",
          "--db-url",
          "--runs",
          "--receiver",
          "--producers",
          "--single-producers",
          "--paced-seconds",
          "--paced-batch",
          "--paced-rate",
          "--claim-rows",
          "--claim-samples",
          "--slow-ports",
          "--slow-delay-ms",
          "--slow-max-per-host",
          "--server-heap",
          "--server-jvm",
          "--limit-concurrency",
          "--out",
          "--quiet-wait",
          "--disturbed-repeats");

  public static Options parse(String[] args) {
    Given g = Given.of(args);
    long events = g.positive("--events", 30_000);
    List<String> scenarios = g.list("--scenario", ALL, Options::scenario);
    List<Integer> limitConcurrency =
        g.list(
            "--limit-concurrency",
            List.of(20, 32, 128, 1000),
            v -> (int) positive("--limit-concurrency", v));
    return new Options(
        events,
        g.positive("--warm-up", events / 10),
        scenarios,
        g.last("--db-url").map(Options::dbUrl).orElse(null),
        (int) g.positive("--runs", 1),
        g.last("--receiver").map(Options::receiver).orElse("jetty"),
        (int) g.positive("--producers", 4),
        (int) g.positive("--single-producers", 16),
        (int) g.positive("--paced-seconds", 10),
        (int) g.positive("--paced-batch", 10),
        (int) g.positive("--paced-rate", 0),
        g.positive("--claim-rows", 1_000_000),
        (int) g.positive("--claim-samples", 300),
        (int) g.positive("--slow-ports", 64),
        (int) g.positive("--slow-delay-ms", 200),
        (int) g.positive("--slow-max-per-host", 10_000),
        g.last("--server-heap").orElse("1g"),
        g.all("--server-jvm"),
        limitConcurrency,
        g.last("--quiet-wait").map(Integer::parseInt).orElse(300),
        g.last("--disturbed-repeats").map(Integer::parseInt).orElse(2),
        g.last("--out").map(Path::of).orElse(Path.of("estafeta-bench", "target")));
  }

  /** The options as given: each name with its values in order. */
  private record Given(Map<String, List<String>> values) {
    static Given of(String[] args) {
      Map<String, List<String>> values = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--help") || a.equals("-h")) {
          throw new IllegalArgumentException("");
        }
        if (!NAMES.contains(a)) {
          throw new IllegalArgumentException("unknown option " + a);
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        values.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
      }
      return new Given(values);
    }

    Optional<String> last(String name) {
      List<String> v = values.get(name);
      return v == null ? Optional.empty() : Optional.of(v.getLast());
    }

    List<String> all(String name) {
      return List.copyOf(values.getOrDefault(name, List.of()));
    }

    long positive(String name, long fallback) {
      return last(name).map(v -> Options.positive(name, v)).orElse(fallback);
    }

    /** Every comma-separated item of every value given, or the fallback if none was. */
    <T> List<T> list(String name, List<T> fallback, Function<String, T> item) {
      List<String> given = all(name);
      if (given.isEmpty()) {
        return fallback;
      }
      return given.stream().flatMap(v -> Arrays.stream(v.split(","))).map(item).toList();
    }
  }

  private static String scenario(String s) {
    if (!ALL.contains(s)) {
      throw new IllegalArgumentException("unknown scenario " + s + "; one of " + ALL);
    }
    return s;
  }

  private static String dbUrl(String v) {
    if (!v.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--db-url must be a jdbc:postgresql:// URL");
    }
    BenchDatabase.checkLoopback(v);
    return v;
  }

  private static String receiver(String v) {
    if (!v.equals("jetty") && !v.equals("jdk")) {
      throw new IllegalArgumentException("--receiver is jetty or jdk");
    }
    return v;
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
