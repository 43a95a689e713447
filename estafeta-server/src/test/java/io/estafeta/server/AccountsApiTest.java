package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.server.TestServer.Answer;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AccountsApiTest {
  static TestServer api;

  @BeforeAll
  static void start() {
    api = TestServer.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void operatorCreatesAnAccountAndSeesItsKeyOnce() {
    Answer created = api.post("/api/v1/accounts", TestServer.ADMIN, "{\"name\": \"Clínica Sur\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().path("id").asText();
    String key = created.json().path("apiKey").asText();
    assertThat(created.json().path("name").asText()).isEqualTo("Clínica Sur");
    assertThat(key).startsWith("est_").hasSizeGreaterThan(40);

    Answer got = api.get("/api/v1/accounts/" + id, TestServer.ADMIN);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.text()).doesNotContain(key).doesNotContain("apiKey");
    Answer keys = api.get("/api/v1/accounts/" + id + "/api-keys", TestServer.ADMIN);
    assertThat(keys.text()).doesNotContain(key);
    assertThat(api.get("/api/v1/accounts", TestServer.ADMIN).text()).contains(id);
    // The key works.
    assertThat(api.get("/api/v1/webhooks", key).status()).isEqualTo(200);
  }

  @Test
  void keysAreRotatableAndRevocable() {
    var acc = api.account("Rotating");
    Answer issued = api.post("/api/v1/accounts/" + acc.id() + "/api-keys", TestServer.ADMIN, null);
    assertThat(issued.status()).isEqualTo(201);
    String second = issued.json().path("apiKey").asText();
    assertThat(api.get("/api/v1/webhooks", second).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/webhooks", acc.key()).status()).isEqualTo(200);

    String firstKeyId =
        api.get("/api/v1/accounts/" + acc.id() + "/api-keys", TestServer.ADMIN)
            .json()
            .path("items")
            .get(0)
            .path("id")
            .asText();
    Answer revoked =
        api.call(
            "DELETE",
            "/api/v1/accounts/" + acc.id() + "/api-keys/" + firstKeyId,
            TestServer.ADMIN,
            (byte[]) null);
    assertThat(revoked.status()).isEqualTo(204);
    assertThat(api.get("/api/v1/webhooks", acc.key()).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/webhooks", second).status()).isEqualTo(200);
    Answer again =
        api.call(
            "DELETE",
            "/api/v1/accounts/" + acc.id() + "/api-keys/" + firstKeyId,
            TestServer.ADMIN,
            (byte[]) null);
    assertThat(again.status()).isEqualTo(404);
  }

  @Test
  void keyOfOneAccountCannotBeRevokedThroughAnother() {
    var a = api.account("A");
    var b = api.account("B");
    String aKeyId =
        api.get("/api/v1/accounts/" + a.id() + "/api-keys", TestServer.ADMIN)
            .json()
            .path("items")
            .get(0)
            .path("id")
            .asText();
    Answer wrong =
        api.call(
            "DELETE",
            "/api/v1/accounts/" + b.id() + "/api-keys/" + aKeyId,
            TestServer.ADMIN,
            (byte[]) null);
    assertThat(wrong.status()).isEqualTo(404);
    assertThat(api.get("/api/v1/webhooks", a.key()).status()).isEqualTo(200);
  }

  @Test
  void accountRoutesNeedTheAdminToken() {
    var acc = api.account("Curious");
    assertThat(api.get("/api/v1/accounts", null).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/accounts", "nonsense").status()).isEqualTo(401);
    Answer asAccount = api.get("/api/v1/accounts", acc.key());
    assertThat(asAccount.status()).isEqualTo(403);
    assertThat(asAccount.contentType()).startsWith("application/problem+json");
    assertThat(api.post("/api/v1/accounts", acc.key(), "{\"name\":\"x\"}").status()).isEqualTo(403);
    assertThat(api.get("/api/v1/accounts/acc_nope", TestServer.ADMIN).status()).isEqualTo(404);
  }

  @Test
  void accountNameIsValidated() {
    Answer missing = api.post("/api/v1/accounts", TestServer.ADMIN, "{}");
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.errorsByField()).containsKey("name");
    Answer wrongType = api.post("/api/v1/accounts", TestServer.ADMIN, "{\"name\": 5}");
    assertThat(wrongType.status()).isEqualTo(422);
    Answer tooLong =
        api.post("/api/v1/accounts", TestServer.ADMIN, "{\"name\": \"" + "x".repeat(201) + "\"}");
    assertThat(tooLong.errorsByField()).containsKey("name");
  }

  @Test
  void apiKeysAreNotStoredInClear() throws IOException {
    var acc = api.account("Hashed");
    String secretPart = acc.key().substring(12);
    // Everything the database holds (SQLite's files with the WAL, or PostgreSQL's rows).
    String stored = api.storedText();
    assertThat(stored).contains(acc.id());
    assertThat(stored).doesNotContain(secretPart).doesNotContain(acc.key());
  }
}
