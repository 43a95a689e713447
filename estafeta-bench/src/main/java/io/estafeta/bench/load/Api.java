package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The server's public API, as a producer calls it: over loopback HTTP/1.1, with a bearer token. */
public final class Api {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http;

  public Api(int port) {
    this.base = "http://127.0.0.1:" + port;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** An answer: its status and body. */
  public record Answer(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }

  public Answer post(String path, String token, String body) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** A POST that must succeed; its JSON answer. */
  public JsonNode postOk(String path, String token, String body) throws IOException {
    Answer a = post(path, token, body);
    if (a.status() >= 300) {
      throw new IOException("POST " + path + " answered " + a.status() + ": " + a.body());
    }
    return a.json();
  }

  /** An account: its id and API key. */
  public record Account(String id, String apiKey) {}

  public Account createAccount(String adminToken, String name) throws IOException {
    JsonNode a =
        postOk("/api/v1/accounts", adminToken, JSON.createObjectNode().put("name", name) + "");
    return new Account(a.path("id").asText(), a.path("apiKey").asText());
  }

  /** Creates a webhook from its JSON definition; its id. */
  public String createWebhook(String apiKey, String definition) throws IOException {
    return postOk("/api/v1/webhooks", apiKey, definition).path("id").asText();
  }

  /** The rendered request a webhook would send for this event data; nothing is sent. */
  public JsonNode preview(String apiKey, String webhookId, String eventJson) throws IOException {
    return postOk("/api/v1/webhooks/" + webhookId + "/preview", apiKey, eventJson);
  }
}
