package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The runs' medians as a table, the targets met or missed, and the JSON file. */
public final class Report {
  private final Options options;
  private final Map<String, String> machine;
  private final List<Metrics> runs = new ArrayList<>();

  public Report(Options options, Map<String, String> machine) {
    this.options = options;
    this.machine = machine;
  }

  public void add(Metrics run) {
    Double limit = run.get("limit.requests_per_s");
    Double one = run.get("one.batch.deliveries_per_s");
    if (limit != null && one != null && limit > 0) {
      run.put("ratio.one_batch_deliveries_over_limit", one / limit);
    }
    runs.add(run);
  }

  /** Every metric's median over the runs (runs that lack it are left out). */
  public Map<String, Double> medians() {
    Set<String> names = new LinkedHashSet<>();
    runs.forEach(r -> names.addAll(r.values().keySet()));
    Map<String, Double> out = new LinkedHashMap<>();
    for (String name : names) {
      double[] v = values(name);
      if (v.length > 0) {
        out.put(name, ClaimBench.median(v));
      }
    }
    return out;
  }

  private double[] values(String name) {
    return runs.stream()
        .map(r -> r.get(name))
        .filter(v -> v != null && !v.isNaN())
        .mapToDouble(Double::doubleValue)
        .toArray();
  }

  public void print(PrintStream out) {
    Map<String, Double> med = medians();
    out.println();
    out.printf(
        "Estafeta bench — %s, %d run(s), median of runs (min … max)%n",
        options.database(), runs.size());
    machine.forEach((k, v) -> out.printf("  %-10s %s%n", k, v));
    out.println();
    out.printf("%-52s %14s   %s%n", "metric", "median", "min … max");
    String group = "";
    for (var e : med.entrySet()) {
      String name = e.getKey();
      String g = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
      if (!g.equals(group)) {
        out.println("-- " + g);
        group = g;
      }
      double[] v = values(name);
      Arrays.sort(v);
      out.printf(
          "%-52s %14s   %s … %s%n", name, fmt(e.getValue()), fmt(v[0]), fmt(v[v.length - 1]));
    }
    out.println();
    out.println("Targets of issue 7 (medians):");
    for (String line : targets(med)) {
      out.println("  " + line);
    }
  }

  /** The targets, each met or missed with its number. */
  public List<String> targets(Map<String, Double> med) {
    List<String> out = new ArrayList<>();
    Double d = med.get("one.batch.deliveries_per_s");
    if (d != null) {
      out.add(
          verdict(d >= 5000)
              + String.format(" ≥ 5,000 deliveries/s, 1 webhook per event: %,.0f/s", d));
    }
    Double r = med.get("ratio.one_batch_deliveries_over_limit");
    Double l = med.get("limit.requests_per_s");
    if (r != null) {
      out.add(
          verdict(r >= 0.4)
              + String.format(
                  " ≥ 0.4 × the no-database limit: %.2f × (limit %,.0f requests/s)", r, l));
    }
    Double p99 = med.get("one.half.latency_p99_ms");
    if (p99 != null) {
      out.add(
          verdict(p99 <= 50)
              + String.format(
                  " p99 event→first attempt ≤ 50 ms at half the maximum rate (%,.0f events/s):"
                      + " %.1f ms",
                  med.get("one.half.target_events_per_s"), p99));
    }
    Double inFlight = med.get("slow.receiver_max_in_flight");
    if (inFlight != null) {
      double serverInFlight = med.getOrDefault("slow.server_max_in_flight", -1.0);
      double threads = med.get("slow.server_peak_threads");
      double heap = med.getOrDefault("slow.heap_used_after_mib", -1.0);
      boolean complete = med.getOrDefault("slow.complete", 0.0) >= 1;
      out.add(
          verdict(complete && inFlight >= 2000 && threads < inFlight)
              + String.format(
                  " 2,000 slow deliveries in flight under -Xmx512m, no platform thread per"
                      + " request: %,.0f in flight at the receiver (the server's gauge: %,.0f),"
                      + " %,.0f server threads at peak, heap used after %,.0f MiB, peak RSS"
                      + " %,.0f MiB%s",
                  inFlight,
                  serverInFlight,
                  threads,
                  heap,
                  med.get("slow.server_peak_rss_mib"),
                  complete ? "" : ", NOT all delivered"));
    }
    Double ratio = med.get("claim.big_over_small");
    if (ratio != null) {
      out.add(
          verdict(Math.abs(ratio - 1) <= 0.2)
              + String.format(
                  " claim of 100 flat (± 20%%) from 10 thousand to %,.0f finished rows:"
                      + " %.2f ms → %.2f ms (× %.2f)",
                  med.get("claim.big_finished_rows"),
                  med.get("claim.small_median_ms"),
                  med.get("claim.big_median_ms"),
                  ratio));
    }
    return out;
  }

  private static String verdict(boolean met) {
    return met ? "MET   " : "MISSED";
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return String.format("%,d", (long) v);
    }
    if (Math.abs(v) >= 100) {
      return String.format("%,.0f", v);
    }
    return String.format("%.3f", v);
  }

  /** Writes everything to {@code bench-<db>-<time>.json} in the output directory; its path. */
  public Path write() throws IOException {
    ObjectNode o = Api.JSON.createObjectNode();
    o.put("database", options.database());
    o.put("runs", runs.size());
    ObjectNode m = o.putObject("machine");
    machine.forEach(m::put);
    ObjectNode opts = o.putObject("options");
    opts.put("events", options.events());
    opts.put("receiver", options.receiver());
    opts.put("batchProducers", options.batchProducers());
    opts.put("singleProducers", options.singleProducers());
    opts.put("pacedSeconds", options.pacedSeconds());
    opts.put("pacedBatch", options.pacedBatch());
    opts.put("claimRows", options.claimRows());
    opts.put("claimSamples", options.claimSamples());
    opts.put("slowPorts", options.slowPorts());
    opts.put("slowDelayMs", options.slowDelayMs());
    opts.put("slowMaxPerHost", options.slowMaxPerHost());
    opts.put("serverHeap", options.serverHeap());
    options.serverJvm().forEach(opts.putArray("serverJvm")::add);
    options.scenarios().forEach(opts.putArray("scenarios")::add);
    Map<String, Double> med = medians();
    ObjectNode medians = o.putObject("median");
    med.forEach(medians::put);
    ArrayNode t = o.putArray("targets");
    targets(med).forEach(t::add);
    ArrayNode all = o.putArray("perRun");
    for (Metrics r : runs) {
      ObjectNode run = all.addObject();
      r.values().forEach(run::put);
    }
    Files.createDirectories(options.out());
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path file = options.out().resolve("bench-" + options.database() + "-" + stamp + ".json");
    Files.writeString(file, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    return file;
  }
}
