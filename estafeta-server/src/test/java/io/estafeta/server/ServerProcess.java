package io.estafeta.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** An Estafeta server in its own JVM, as an operator runs it: for crash and shutdown tests. */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static ServerProcess start(Path dataDir, int port, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder b =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.environment().put("ESTAFETA_PORT", Integer.toString(port));
    b.environment().put("ESTAFETA_DATA_DIR", dataDir.toString());
    b.environment().put("ESTAFETA_ADMIN_TOKEN", TestServer.ADMIN);
    b.environment().putAll(env);
    ServerProcess p = new ServerProcess(b.start(), port);
    p.awaitHealthy();
    return p;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A call to this server's API with a bearer token; {@code body} may be null. */
  HttpResponse<String> call(String method, String path, String token, String body)
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

  private void awaitHealthy() throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the server did not answer /health within 30 s");
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, and how long the process took to exit. */
  Duration terminate() throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    process.waitFor();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  int exitValue() {
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
