package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The receiver ({@link ReceiverMain}) in its own JVM, and the bench's handle on it. */
public final class ReceiverProcess implements AutoCloseable {
  private final Process process;
  private final List<Integer> ports;
  private final int control;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ReceiverProcess(Process process, List<Integer> ports, int control) {
    this.process = process;
    this.ports = ports;
    this.control = control;
  }

  public static ReceiverProcess start(String impl, int ports, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms256m");
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ReceiverMain.class.getName());
    command.add("--impl");
    command.add(impl);
    command.add("--ports");
    command.add(Integer.toString(ports));
    Process p =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    // Read on a thread of its own, so a receiver that never speaks cannot hang the bench.
    var reading = Executors.newVirtualThreadPerTaskExecutor();
    try {
      line = reading.submit(out::readLine).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException("the receiver did not start (see " + log + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    } finally {
      reading.shutdownNow();
    }
    if (line == null || !line.startsWith("ports ")) {
      p.destroyForcibly();
      throw new IllegalStateException("the receiver did not start (see " + log + ")");
    }
    String[] parts = line.split(" ");
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

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
