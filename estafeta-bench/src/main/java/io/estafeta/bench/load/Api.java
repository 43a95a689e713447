package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The server's public API, as a producer calls it: over loopback HTTP/1.1 with a bearer token.
 * Apache HttpClient 5 (pooled, classic): on two cores the producers' own CPU matters, and it costs
 * a fraction of the JDK client's per request.
 */
public final class Api implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final CloseableHttpClient http;

  public Api(int port) {
    this.base = "http://127.0.0.1:" + port;
    this.http =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(256)
                    .setMaxConnPerRoute(256)
                    .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(10))
                            .setSocketTimeout(Timeout.ofSeconds(120))
                            .build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(120)).build())
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableRedirectHandling()
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
    HttpPost post = new HttpPost(base + path);
    post.setHeader("Authorization", "Bearer " + token);
    post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    return http.execute(
        post,
        r ->
            new Answer(
                r.getCode(),
                r.getEntity() == null
                    ? ""
                    : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8)));
  }

  /** A GET without credentials (e.g. {@code /metrics}); its body, or null unless 200. */
  public String get(String path) throws IOException {
    return http.execute(
        new HttpGet(base + path),
        r ->
            r.getCode() == 200 && r.getEntity() != null
                ? EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8)
                : null);
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

  @Override
  public void close() {
    http.close(CloseMode.IMMEDIATE);
  }
}
