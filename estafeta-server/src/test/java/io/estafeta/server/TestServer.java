package io.estafeta.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real Estafeta node on a random loopback port, over a fresh SQLite file, for API tests. */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN = "adm_test-admin-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();

  private final EstafetaServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path dataDir;
  private final TestDatabase database;

  private TestServer(EstafetaServer server, Path dataDir, TestDatabase database) {
    this.server = server;
    this.dataDir = dataDir;
    this.database = database;
  }

  public static TestServer start() {
    return start(Map.of(), Clock.systemUTC());
  }

  public static TestServer start(Map<String, String> extraEnv, Clock clock) {
    return start(extraEnv, clock, EstafetaServer.Options.defaults());
  }

  /** A node whose dispatcher only runs when the test calls {@code runDue()}. */
  public static TestServer manual(Map<String, String> extraEnv, Clock clock) {
    return start(extraEnv, clock, new EstafetaServer.Options(false, UnaryOperator.identity()));
  }

  public static TestServer start(
      Map<String, String> extraEnv, Clock clock, EstafetaServer.Options options) {
    try {
      Path dir = Files.createTempDirectory("estafeta-test");
      Map<String, String> env = new HashMap<>();
      env.put("ESTAFETA_PORT", "0");
      env.put("ESTAFETA_DATA_DIR", dir.toString());
      env.put("ESTAFETA_ADMIN_TOKEN", ADMIN);
      TestDatabase database = TestDatabase.create();
      env.putAll(database.env());
      env.putAll(extraEnv);
      return new TestServer(
          EstafetaServer.start(Config.fromEnvironment(env), clock, options), dir, database);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  public EstafetaServer server() {
    return server;
  }

  public String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** An answer as a client sees it. */
  public record Answer(int status, String contentType, String text) {
    public JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text, e);
      }
    }

    public Map<String, String> errorsByField() {
      Map<String, String> out = new HashMap<>();
      json()
          .path("errors")
          .forEach(e -> out.put(e.path("field").asText(), e.path("message").asText()));
      return out;
    }
  }

  public Answer call(String method, String path, String token, String body) {
    return call(
        method,
        path,
        token,
        body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public Answer call(String method, String path, String token, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Answer get(String path, String token) {
    return call("GET", path, token, (byte[]) null);
  }

  /** Everything the database holds, as text: to prove what is not stored in clear. */
  public String storedText() {
    if (database.schema() == null) {
      StringBuilder all = new StringBuilder();
      try (var files = java.nio.file.Files.list(dataDir)) {
        for (Path f :
            files.filter(p -> p.getFileName().toString().startsWith("estafeta.db")).toList()) {
          all.append(
              new String(
                  java.nio.file.Files.readAllBytes(f),
                  java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return all.toString();
    }
    return database.dump();
  }

  /** Runs the dispatcher's steps by hand over what is due at the clock's now. */
  public int runDue() {
    return server.dispatcher().manual().runDue();
  }

  public Answer post(String path, String token, String body) {
    return call("POST", path, token, body);
  }

  /** A new account: its id and API key. */
  public record NewAccount(String id, String key) {}

  public NewAccount account(String name) {
    Answer a = post("/api/v1/accounts", ADMIN, "{\"name\": \"" + name + "\"}");
    if (a.status() != 201) {
      throw new IllegalStateException(a.toString());
    }
    return new NewAccount(a.json().path("id").asText(), a.json().path("apiKey").asText());
  }

  @Override
  public void close() {
    server.close();
    database.close();
  }
}
