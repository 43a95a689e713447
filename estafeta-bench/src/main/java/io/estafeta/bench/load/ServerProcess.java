package io.estafeta.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Estafeta server in its own JVM, started as the launcher starts it ({@code Main serve}, G1,
 * native access for SQLite) by the shared {@link io.estafeta.testsupport.ServerProcess}, with its
 * output in a log file. A sampler notes its peak thread count.
 */
public final class ServerProcess implements AutoCloseable {
  private final io.estafeta.testsupport.ServerProcess process;
  private final String adminToken;
  private final AtomicInteger peakThreads = new AtomicInteger();
  private volatile boolean sampling = true;
  private final Thread sampler;

  private ServerProcess(io.estafeta.testsupport.ServerProcess process, String adminToken) {
    this.process = process;
    this.adminToken = adminToken;
    this.sampler =
        Thread.ofPlatform()
            .daemon()
            .name("bench-sampler")
            .start(() -> {
              while (sampling && process.process().isAlive()) {
                long t = Proc.status(process.pid(), "Threads");
                peakThreads.accumulateAndGet((int) t, Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  /**
   * Starts a server and waits until it answers {@code /health}.
   *
   * @param heap the {@code -Xmx} value, e.g. {@code 1g}
   * @param jvmOptions more JVM options (e.g. a logback configuration)
   */
  public static ServerProcess start(
      BenchDatabase db, Map<String, String> env, String heap, List<String> jvmOptions, Path log)
      throws IOException, InterruptedException {
    int port = io.estafeta.testsupport.ServerProcess.freePort();
    String admin = "bench_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    List<String> jvm = new ArrayList<>(List.of("-XX:+UseG1GC", "-Xmx" + heap));
    jvm.addAll(jvmOptions);
    // The launcher appends to its log: each run of a scenario gets a fresh one.
    Files.deleteIfExists(log);
    io.estafeta.testsupport.ServerProcess process =
        io.estafeta.testsupport.ServerProcess.estafeta(port)
            .jvm(jvm)
            // Only what the bench chooses: none of the caller's ESTAFETA_* reaches the server.
            .unsetInherited("ESTAFETA_")
            .env(db.env())
            .env("ESTAFETA_ADMIN_TOKEN", admin)
            .env("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8")
            .env(env)
            .log(log)
            .start();
    return new ServerProcess(process, admin);
  }

  public int port() {
    return process.port();
  }

  public long pid() {
    return process.pid();
  }

  public String adminToken() {
    return adminToken;
  }

  public int peakThreads() {
    return peakThreads.get();
  }

  public long threadsNow() {
    return Proc.status(process.pid(), "Threads");
  }

  /** Peak resident memory so far (VmHWM), in MiB. */
  public double peakRssMib() {
    return Proc.status(process.pid(), "VmHWM") / 1024.0;
  }

  public double cpuSeconds() {
    return Proc.cpuSeconds(process.pid());
  }

  /**
   * Deliveries the server has claimed and put back unattempted at an account or host cap so far
   * (its {@code estafeta_deferrals_total}); -1 if the scrape fails.
   */
  public double putBacks() {
    return scrape("estafeta_deferrals_total{");
  }

  /**
   * Deliveries the server has attempted straight from their publish, without a claim, so far (its
   * {@code estafeta_handoffs_total}); -1 if the scrape fails.
   */
  public double handOffs() {
    return scrape("estafeta_handoffs_total");
  }

  /**
   * Milliseconds the server's JIT compilers have spent so far ({@code jvm_compilation_time_ms}); -1
   * if the scrape fails.
   */
  public double compileMillis() {
    return scrape("jvm_compilation_time_ms_total");
  }

  /** The sum of the samples of one metric on {@code /metrics}; -1 if the scrape fails. */
  private double scrape(String metric) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      String text =
          http.send(
                  HttpRequest.newBuilder(URI.create(process.base() + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return text.lines()
          .filter(l -> l.startsWith(metric))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Java heap in use and committed now, in MiB, from {@code jcmd GC.heap_info}; -1 if unknown. */
  public double[] heapMib() {
    String out = jcmd("GC.heap_info");
    // ZGC: " ZHeap           used 120M, capacity 512M, max capacity 512M"
    Matcher m =
        Pattern.compile("used (\\d+)([KMG]), capacity (\\d+)([KMG])", Pattern.CASE_INSENSITIVE)
            .matcher(out);
    if (m.find()) {
      return new double[] {mib(m.group(1), m.group(2)), mib(m.group(3), m.group(4))};
    }
    // G1: "garbage-first heap   total reserved 524288K, committed 262144K, used 12345K"
    m = Pattern.compile("committed (\\d+)K, used (\\d+)K").matcher(out);
    if (m.find()) {
      return new double[] {
        Long.parseLong(m.group(2)) / 1024.0, Long.parseLong(m.group(1)) / 1024.0
      };
    }
    // Older G1 and others: "garbage-first heap   total 262144K, used 12345K"
    m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(out);
    if (m.find()) {
      return new double[] {
        Long.parseLong(m.group(2)) / 1024.0, Long.parseLong(m.group(1)) / 1024.0
      };
    }
    return new double[] {-1, -1};
  }

  /** Asks for a full collection, so the heap that remains is what the node really holds. */
  public void gc() {
    jcmd("GC.run");
  }

  private String jcmd(String command) {
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(process.pid()),
                  command)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static double mib(String n, String unit) {
    double v = Double.parseDouble(n);
    return switch (unit.toUpperCase()) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }

  /** SIGTERM, then SIGKILL if it has not exited within 40 s. */
  @Override
  public void close() {
    sampling = false;
    sampler.interrupt();
    process.stop(Duration.ofSeconds(40));
  }
}
