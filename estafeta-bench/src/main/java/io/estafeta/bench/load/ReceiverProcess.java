package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.testsupport.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The receiver ({@link ReceiverMain}) in its own JVM, started by the shared launcher and ready when
 * it prints its ports, and the bench's handle on it.
 */
public final class ReceiverProcess implements AutoCloseable {
  private final ServerProcess process;
  private final List<Integer> ports;
  private final int control;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ReceiverProcess(ServerProcess process, List<Integer> ports, int control) {
    this.process = process;
    this.ports = ports;
    this.control = control;
  }

  public static ReceiverProcess start(String impl, int ports, Path log) throws IOException {
    // The launcher appends to its log: each bench run gets a fresh one.
    Files.deleteIfExists(log);
    ServerProcess p;
    try {
      p =
          ServerProcess.java(
                  ReceiverMain.class.getName(), "--impl", impl, "--ports", Integer.toString(ports))
              .jvm(List.of("-Xms256m", "-Xmx1g"))
              .readyWhenItPrints("ports ")
              .log(log)
              .start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    // "ports P1,P2,... control C"
    String[] parts = p.readyLine().split(" ");
    List<Integer> bound = new ArrayList<>();
    for (String s : parts[1].split(",")) {
      bound.add(Integer.parseInt(s));
    }
    return new ReceiverProcess(p, bound, Integer.parseInt(parts[3]));
  }

  public long pid() {
    return process.pid();
  }

  public List<Integer> ports() {
    return ports;
  }

  public String base(int i) {
    return "http://127.0.0.1:" + ports.get(i);
  }

  public double cpuSeconds() {
    return Proc.cpuSeconds(process.pid());
  }

  /** Clears the counts and sets how to answer from now on. */
  public void reset(double failFraction, long delayMs) throws IOException {
    get("/reset?fail=" + failFraction + "&delayMs=" + delayMs);
  }

  /** Requests answered 2xx since the reset. */
  public long ok() throws IOException {
    return Long.parseLong(get("/ok").strip());
  }

  public JsonNode stats() throws IOException {
    return Api.JSON.readTree(get("/stats"));
  }

  /**
   * Waits until {@code expected} requests have been answered 2xx, or the time is up.
   *
   * @return whether all arrived
   */
  public boolean awaitOk(long expected, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ok() >= expected) {
        return true;
      }
      Thread.sleep(20);
    }
    return ok() >= expected;
  }

  private String get(String path) throws IOException {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control + path))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Closes its standard input, which ends it; SIGKILL if it is still there after 10 s. */
  @Override
  public void close() {
    try {
      process.process().getOutputStream().close();
      process.process().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Killed below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.close();
  }
}
