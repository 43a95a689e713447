package io.estafeta.bench;

import io.estafeta.bench.load.Metrics;
import io.estafeta.bench.load.Options;
import io.estafeta.bench.load.ReceiverProcess;
import io.estafeta.bench.load.Report;
import io.estafeta.bench.load.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./estafeta bench}: an Estafeta server, a loopback receiver and the producers, each in its
 * own process; the scenarios of issue 7, the no-database limit of the same HTTP client, a table of
 * the medians and a JSON file under {@code estafeta-bench/target}. Everything talks to 127.0.0.1
 * only, and every loop is bounded in count and time.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("bench: " + e.getMessage());
      }
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    System.exit(run(options));
  }

  static int run(Options options) throws Exception {
    Path logs = options.out().resolve("bench-logs");
    Files.createDirectories(logs);
    Map<String, String> machine = machine(options);
    Report report = new Report(options, machine);
    int ports = options.scenarios().contains("slow") ? options.slowPorts() : 1;
    int failures = 0;
    try (ReceiverProcess receiver =
        ReceiverProcess.start(options.receiver(), ports, logs.resolve("receiver.log"))) {
      Scenarios scenarios = new Scenarios(options, receiver, logs);
      for (int run = 1; run <= options.runs(); run++) {
        Metrics metrics = new Metrics();
        for (String name : options.scenarios()) {
          try {
            // Another process using the CPU mid-scenario skews it: measure again (bounded).
            Metrics m = scenarios.run(name, run);
            int repeats = 0;
            while (disturbance(m) > DISTURBED_CORES && repeats < options.disturbedRepeats()) {
              repeats++;
              System.err.printf(
                  "bench: other processes used %.2f cores during %s; measuring it again (%d/%d)%n",
                  disturbance(m), name, repeats, options.disturbedRepeats());
              m = scenarios.run(name, run);
            }
            m.put(name + ".disturbed_repeats", repeats);
            m.put(name + ".other_cores_max", disturbance(m));
            metrics.putAll(m);
          } catch (Exception | AssertionError e) {
            failures++;
            System.err.println("bench: scenario " + name + " failed: " + e);
            e.printStackTrace(System.err);
            metrics.put(name + ".failed", 1);
          }
        }
        report.add(metrics);
        System.err.println("bench: run " + run + " done");
      }
    }
    report.print(System.out);
    Path file = report.write();
    System.out.println();
    System.out.println("results: " + file + "   logs: " + logs);
    return failures == 0 ? 0 : 1;
  }

  /** Cores other processes may use during a scenario before it is measured again. */
  static final double DISTURBED_CORES = 0.3;

  /** The most CPU other processes used during any phase of a scenario, in cores. */
  static double disturbance(Metrics m) {
    return m.values().entrySet().stream()
        .filter(e -> e.getKey().endsWith(".other_cores"))
        .mapToDouble(Map.Entry::getValue)
        .max()
        .orElse(0);
  }

  /** The machine, as docs/performance.md describes it. */
  static Map<String, String> machine(Options options) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    m.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
    m.put(
        "jdk",
        System.getProperty("java.vm.name")
            + " "
            + Runtime.version()
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    m.put("code", git());
    m.put("database", options.database());
    if (options.dbUrl() != null) {
      try (Connection c =
              DriverManager.getConnection(
                  options.dbUrl(),
                  env("ESTAFETA_DB_USER", "postgres"),
                  env("ESTAFETA_DB_PASSWORD", ""));
          ResultSet rs = c.createStatement().executeQuery("select version()")) {
        rs.next();
        m.put("postgresql", rs.getString(1));
      } catch (Exception e) {
        m.put("postgresql", "unknown: " + e.getMessage());
      }
    } else {
      m.put("sqlite", org.sqlite.SQLiteJDBCLoader.getVersion());
    }
    return m;
  }

  /** The commit measured, and whether the working tree had changes on top of it. */
  private static String git() {
    try {
      Process head = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
      String commit = new String(head.getInputStream().readAllBytes()).strip();
      Process status = new ProcessBuilder("git", "status", "--porcelain", "--", ".").start();
      long changed = new String(status.getInputStream().readAllBytes()).lines().count();
      head.waitFor();
      status.waitFor();
      return commit + (changed > 0 ? " + " + changed + " changed files" : "");
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      // Not Linux.
    }
    return "unknown";
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
