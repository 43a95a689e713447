package io.estafeta.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A main class in a child JVM, started as the launcher starts the server: this JVM's java, its
 * class path, native access (SQLite), an environment of the caller's choosing, and everything it
 * prints appended to a log file. {@link #estafeta} is the Estafeta server ({@code Main serve}),
 * ready when its {@code /health} answers; any other main class is ready when it prints a chosen
 * line.
 */
public final class ServerProcess implements AutoCloseable {
  /** The server's entry point, by name: this module does not depend on the server. */
  public static final String ESTAFETA_MAIN = "io.estafeta.server.Main";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final Process process;
  private final int port;
  private final Path log;
  private volatile String readyLine;
  // If the JVM that started it ends (a test run stopped, the bench interrupted), so does the child.
  private final Thread onExit;

  /** What to start, and how to tell it is ready. */
  public static final class Launch {
    private final List<String> command = new ArrayList<>();
    private final List<String> jvm = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> unset = new ArrayList<>();
    private int port = -1;
    private String readyPrefix;
    private Duration within = Duration.ofSeconds(60);
    private Path log;

    private Launch(String mainClass, List<String> args) {
      command.add(mainClass);
      command.addAll(args);
    }

    /** JVM options (heap, collector, system properties), before the main class. */
    public Launch jvm(List<String> options) {
      jvm.addAll(options);
      return this;
    }

    /** Variables set for the child, over what it inherits; later calls win. */
    public Launch env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    public Launch env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Drops inherited variables whose names start with {@code prefix} (not those set here). */
    public Launch unsetInherited(String prefix) {
      unset.add(prefix);
      return this;
    }

    /** Ready once it prints a line starting with {@code prefix}; see {@link #readyLine()}. */
    public Launch readyWhenItPrints(String prefix) {
      readyPrefix = prefix;
      return this;
    }

    /** How long it may take to be ready (or, for {@link #run}, to finish); 60 s unless told. */
    public Launch within(Duration limit) {
      within = limit;
      return this;
    }

    /** Standard output and error, appended (several processes may share one file). */
    public Launch log(Path file) {
      log = file;
      return this;
    }

    /** Starts it and waits until it is ready; a child that exits or is late first is killed. */
    public ServerProcess start() throws IOException, InterruptedException {
      Path out = log != null ? log : Files.createTempFile("estafeta-process", ".log");
      long offset = Files.exists(out) ? Files.size(out) : 0;
      ProcessBuilder b =
          builder()
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
      ServerProcess p = new ServerProcess(b.start(), port, out);
      try {
        return p.awaitReady(this, offset);
      } catch (RuntimeException | InterruptedException e) {
        p.close();
        throw e;
      }
    }

    /** Runs it to its end (a command rather than a server), with what it printed. */
    public Finished run() throws IOException, InterruptedException {
      Path out = Files.createTempFile("estafeta-command", ".out");
      Path err = Files.createTempFile("estafeta-command", ".err");
      try {
        Process p = builder().redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(command + " did not finish within " + within);
        }
        return new Finished(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    }

    private ProcessBuilder builder() {
      List<String> line = new ArrayList<>();
      line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      line.add("--enable-native-access=ALL-UNNAMED");
      line.addAll(jvm);
      line.add("-cp");
      line.add(System.getProperty("java.class.path"));
      line.addAll(command);
      ProcessBuilder b = new ProcessBuilder(line);
      b.environment().keySet().removeIf(name -> unset.stream().anyMatch(name::startsWith));
      b.environment().putAll(env);
      return b;
    }
  }

  /** A finished command: its exit status and what it printed on each stream. */
  public record Finished(int exit, String out, String err) {}

  /**
   * The Estafeta server ({@code Main serve}) on 127.0.0.1:{@code port}, ready when {@code /health}
   * answers 200. The rest (data directory, database, admin token) is the caller's {@link
   * Launch#env}.
   */
  public static Launch estafeta(int port) {
    Launch launch = new Launch(ESTAFETA_MAIN, List.of("serve"));
    launch.port = port;
    return launch.env("ESTAFETA_PORT", Integer.toString(port));
  }

  /** Any main class of this JVM's class path. */
  public static Launch java(String mainClass, String... args) {
    return new Launch(mainClass, List.of(args));
  }

  /** A port free on loopback right now (for a server that must come back on the same port). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.onExit = Thread.ofPlatform().unstarted(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  private ServerProcess awaitReady(Launch launch, long offset) throws InterruptedException {
    long deadline = System.nanoTime() + launch.within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            launch.command + " exited with " + process.exitValue() + " (see " + log + ")");
      }
      if (launch.readyPrefix != null) {
        readyLine = printed(offset, launch.readyPrefix);
        if (readyLine != null) {
          return this;
        }
      } else if (port < 0 || healthy()) {
        return this;
      }
      Thread.sleep(launch.readyPrefix != null ? 20 : 100);
    }
    throw new IllegalStateException(
        launch.command + " was not ready within " + launch.within + " (see " + log + ")");
  }

  private boolean healthy() throws InterruptedException {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create(base() + "/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  /** The first line printed since {@code offset} that starts with {@code prefix}, or null. */
  private String printed(long offset, String prefix) {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(offset, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8)
          .lines()
          .filter(l -> l.startsWith(prefix))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** The line it printed to say it was ready ({@link Launch#readyWhenItPrints}), or null. */
  public String readyLine() {
    return readyLine;
  }

  public long pid() {
    return process.pid();
  }

  /** The child itself, e.g. to close its standard input. */
  public Process process() {
    return process;
  }

  /** The server's port ({@link #estafeta}). */
  public int port() {
    return port;
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  /** A call to the server's API with a bearer token; {@code body} may be null. */
  public HttpResponse<String> call(String method, String path, String token, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL: no shutdown hook of the child runs. */
  public void kill() throws InterruptedException {
    forget();
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, and how long the child took to exit. */
  public Duration terminate() throws InterruptedException {
    forget();
    long start = System.nanoTime();
    process.destroy();
    process.waitFor();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
  public void stop(Duration grace) {
    forget();
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  public int exitValue() {
    return process.exitValue();
  }

  private void forget() {
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook does it.
    }
  }

  /** SIGKILL, without waiting. */
  @Override
  public void close() {
    forget();
    process.destroyForcibly();
  }
}
