package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.server.TestServer.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed bodies at every write endpoint: always a 4xx problem, never a 500 or a trace. */
class HostileInputTest {
  static TestServer api;
  static TestServer.NewAccount acc;
  static String webhookId;

  @BeforeAll
  static void start() {
    api = TestServer.start();
    acc = api.account("Hostile");
    webhookId =
        api.post("/api/v1/webhooks", acc.key(), WebhooksApiTest.VALID).json().path("id").asText();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  record Endpoint(String method, String path, boolean admin) {}

  static List<Endpoint> writeEndpoints() {
    return List.of(
        new Endpoint("POST", "/api/v1/accounts", true),
        new Endpoint("POST", "/api/v1/accounts/" + acc.id() + "/api-keys", true),
        new Endpoint("POST", "/api/v1/webhooks", false),
        new Endpoint("PUT", "/api/v1/webhooks/" + webhookId, false));
  }

  static List<byte[]> hostileBodies() {
    List<byte[]> bodies = new ArrayList<>();
    for (String s :
        List.of(
            "",
            "{",
            "}",
            "nul",
            "[]",
            "42",
            "\"a string\"",
            "{\"name\": }",
            "{\"name\": \"x\"} trailing",
            "{\"name\": [1, 2, {\"a\": null}], \"events\": {\"x\": 1}, \"method\": 7}",
            "{\"name\": \"x\", \"events\": [null, 1, true, {}], \"url\": [\"https://a\"]}",
            "{\"headers\": [null, 1, \"x\", [], {\"name\": {}}], \"body\": []}",
            "{\"body\": {\"format\": null, \"template\": {\"a\": 1}}, \"timeout\": {}}",
            "{\"name\": \"" + "x".repeat(300_000) + "\"}",
            "{\"url\": \"https://example.com/" + "a".repeat(20_000) + "\"}",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000),
            "{\"name\": \"\\ud800\"}",
            "{\"unknown\": 1, \"another\": {\"deep\": [1,2,3]}}")) {
      bodies.add(s.getBytes(StandardCharsets.UTF_8));
    }
    // Invalid UTF-8: a lone continuation byte and an overlong encoding.
    bodies.add(new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0x80, '"', '}'});
    bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'});
    bodies.add(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0});
    // Over a megabyte.
    bodies.add(("{\"name\": \"" + "y".repeat(2_000_000) + "\"}").getBytes(StandardCharsets.UTF_8));
    return bodies;
  }

  @Test
  void neverA500NorAStackTrace() {
    for (Endpoint e : writeEndpoints()) {
      for (byte[] body : hostileBodies()) {
        Answer a = api.call(e.method(), e.path(), e.admin() ? TestServer.ADMIN : acc.key(), body);
        String what = e.method() + " " + e.path() + " with " + preview(body);
        assertThat(a.status()).as(what).isBetween(200, 499);
        assertThat(a.text()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
        if (a.status() >= 400) {
          assertThat(a.contentType()).as(what).startsWith("application/problem+json");
          assertThat(a.json().path("status").asInt()).as(what).isEqualTo(a.status());
        }
      }
    }
    // The server still answers normally afterwards.
    assertThat(api.get("/api/v1/webhooks/" + webhookId, acc.key()).status()).isEqualTo(200);
  }

  @Test
  void malformedJsonIs400AndOversizedIs413() {
    assertThat(api.post("/api/v1/webhooks", acc.key(), "{").status()).isEqualTo(400);
    String huge = "{\"name\": \"" + "y".repeat(2_000_000) + "\"}";
    assertThat(api.post("/api/v1/webhooks", acc.key(), huge).status()).isEqualTo(413);
    assertThat(api.post("/api/v1/accounts", TestServer.ADMIN, huge).status()).isEqualTo(413);
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405() {
    Answer unknown = api.get("/api/v1/nothing-here", acc.key());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    Answer wrong = api.call("PATCH", "/api/v1/webhooks", acc.key(), "{}");
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.contentType()).startsWith("application/problem+json");
  }

  private static String preview(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8);
    return body.length > 60 ? s + "… (" + body.length + " bytes)" : s;
  }
}
