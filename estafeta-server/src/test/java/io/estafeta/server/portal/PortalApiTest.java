package io.estafeta.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.server.TestServer;
import io.estafeta.testsupport.LoopbackReceiver;
import io.estafeta.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The portal's side of the API over a real server: one-time links, the session cookie, CSRF,
 * logout, the security headers, account isolation and the webhook stats.
 */
class PortalApiTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  MutableClock clock;
  TestServer api;
  TestServer.NewAccount acc;

  @BeforeEach
  void start() {
    clock = new MutableClock(T0);
    api = TestServer.manual(Map.of("ESTAFETA_ALLOW_NETWORKS", "127.0.0.0/8"), clock);
    acc = api.account("Clínica Sur");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  Http.Reply linkAs(String token, String accountId) {
    return Http.send(
        "POST",
        api.base() + "/api/v1/accounts/" + accountId + "/portal-link",
        null,
        null,
        token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
  }

  static String webhook(String url) {
    return """
    {"name": "CRM", "events": ["call.created"], "method": "POST", "url": "%s",
     "body": {"format": "json", "template": "{\\"client\\": {{client.name}}}"}}\
    """
        .formatted(url);
  }

  @Test
  void onlyTheOperatorGetsALinkOfTenMinutes() {
    assertThat(linkAs(null, acc.id()).status()).isEqualTo(401);
    Http.Reply byAccount = linkAs(acc.key(), acc.id());
    assertThat(byAccount.status()).isEqualTo(403);
    assertThat(byAccount.header("Content-Type")).startsWith("application/problem+json");
    assertThat(linkAs(TestServer.ADMIN, "acc_nope").status()).isEqualTo(404);

    Http.Reply r = linkAs(TestServer.ADMIN, acc.id());
    assertThat(r.status()).isEqualTo(201);
    String url = r.json().path("url").asText();
    assertThat(url)
        .startsWith("http://localhost:" + api.server().port() + "/#/login/ptl_")
        .hasSizeGreaterThan(60);
    assertThat(Instant.parse(r.json().path("expiresAt").asText()))
        .isEqualTo(T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void aLinkOpensOneSessionOnly() {
    String token = PortalSession.token(PortalSession.link(api, acc.id()));
    Http.Reply first = PortalSession.open(api, token);
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().path("accountId").asText()).isEqualTo(acc.id());
    assertThat(first.json().path("accountName").asText()).isEqualTo("Clínica Sur");
    assertThat(first.json().path("csrfToken").asText()).hasSizeGreaterThan(30);

    Http.Reply again = PortalSession.open(api, token);
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.header("Content-Type")).startsWith("application/problem+json");
    assertThat(again.json().path("detail").asText()).contains("works once");
    assertThat(again.header("Set-Cookie")).isNull();
  }

  @Test
  void aLinkExpiresAfterTenMinutes() {
    String token = PortalSession.token(PortalSession.link(api, acc.id()));
    clock.advance(Duration.ofMinutes(10));
    assertThat(PortalSession.open(api, token).status()).isEqualTo(401);

    String fresh = PortalSession.token(PortalSession.link(api, acc.id()));
    clock.advance(Duration.ofMinutes(9).plusSeconds(59));
    assertThat(PortalSession.open(api, fresh).status()).isEqualTo(201);
  }

  @Test
  void badLoginBodiesAreProblemsNotErrors() {
    Http.Reply form =
        Http.send(
            "POST",
            api.base() + "/api/v1/portal/session",
            "{\"token\": \"x\"}",
            "text/plain",
            Map.of());
    assertThat(form.status()).isEqualTo(415);
    assertThat(form.header("Content-Type")).startsWith("application/problem+json");
    for (String body : new String[] {"{}", "{\"token\": 5}", "[]"}) {
      Http.Reply r =
          Http.send(
              "POST", api.base() + "/api/v1/portal/session", body, "application/json", Map.of());
      assertThat(r.status()).as(body).isEqualTo(422);
    }
    assertThat(
            Http.send(
                    "POST",
                    api.base() + "/api/v1/portal/session",
                    "{nope",
                    "application/json",
                    Map.of())
                .status())
        .isEqualTo(400);
    assertThat(PortalSession.open(api, "x".repeat(1000)).status()).isEqualTo(401);
  }

  @Test
  void theCookieIsHttpOnlyStrictAndScopedToTheSite() {
    PortalSession s = PortalSession.login(api, acc.id());
    String cookie = s.opened.header("Set-Cookie");
    assertThat(cookie)
        .startsWith("estafeta_session=pts_")
        .contains("; Path=/")
        .contains("; HttpOnly")
        .contains("; SameSite=Strict")
        .contains("; Max-Age=28800")
        .doesNotContain("Domain")
        .doesNotContain("Secure");
  }

  @Test
  void theCookieIsSecureWhenThePublicUrlIsHttps() {
    TestServer tls =
        TestServer.start(Map.of("ESTAFETA_PUBLIC_URL", "https://hooks.example.com/"), clock);
    try {
      var other = tls.account("TLS");
      Http.Reply link = linkAsOn(tls, other.id());
      assertThat(link.json().path("url").asText())
          .startsWith("https://hooks.example.com/#/login/ptl_");
      PortalSession s = PortalSession.login(tls, other.id());
      assertThat(s.opened.header("Set-Cookie")).contains("; Secure").contains("; HttpOnly");
    } finally {
      tls.close();
    }
  }

  private static Http.Reply linkAsOn(TestServer server, String accountId) {
    return Http.send(
        "POST",
        server.base() + "/api/v1/accounts/" + accountId + "/portal-link",
        null,
        null,
        Map.of("Authorization", "Bearer " + TestServer.ADMIN));
  }

  @Test
  void theSessionActsAsItsAccount() {
    PortalSession s = PortalSession.login(api, acc.id());
    Http.Reply me = s.get("/api/v1/portal/session");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().path("accountName").asText()).isEqualTo("Clínica Sur");
    assertThat(me.json().path("csrfToken").asText()).isEqualTo(s.csrf);

    assertThat(s.get("/api/v1/webhooks").status()).isEqualTo(200);
    assertThat(s.get("/api/v1/event-types").status()).isEqualTo(200);
    Http.Reply created =
        s.call("POST", "/api/v1/webhooks", webhook("https://crm.example.com/x"), true);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    // A session is an account's, never the operator's.
    assertThat(s.get("/api/v1/accounts").status()).isEqualTo(403);
    assertThat(
            Http.send("GET", api.base() + "/api/v1/portal/session", null, null, Map.of()).status())
        .isEqualTo(401);
  }

  @Test
  void unsafeRequestsWithTheCookieNeedTheCsrfToken() {
    PortalSession s = PortalSession.login(api, acc.id());
    String body = webhook("https://crm.example.com/x");

    Http.Reply without = s.call("POST", "/api/v1/webhooks", body, false);
    assertThat(without.status()).isEqualTo(403);
    assertThat(without.header("Content-Type")).startsWith("application/problem+json");
    assertThat(without.json().path("detail").asText()).contains("X-CSRF-Token");

    Http.Reply wrong =
        Http.send(
            "POST",
            api.base() + "/api/v1/webhooks",
            body,
            "application/json",
            Map.of("Cookie", s.cookie, "X-CSRF-Token", s.csrf + "x"));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(s.get("/api/v1/webhooks").json().path("items")).isEmpty();

    Http.Reply with = s.call("POST", "/api/v1/webhooks", body, true);
    assertThat(with.status()).isEqualTo(201);
    String id = with.json().path("id").asText();
    assertThat(s.call("DELETE", "/api/v1/webhooks/" + id, null, false).status()).isEqualTo(403);
    assertThat(s.call("DELETE", "/api/v1/portal/session", null, false).status()).isEqualTo(403);
    assertThat(s.call("DELETE", "/api/v1/webhooks/" + id, null, true).status()).isEqualTo(204);
  }

  @Test
  void logoutEndsTheSessionAndClearsTheCookie() {
    PortalSession s = PortalSession.login(api, acc.id());
    Http.Reply out = s.call("DELETE", "/api/v1/portal/session", null, true);
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.header("Set-Cookie"))
        .startsWith("estafeta_session=;")
        .contains("Max-Age=0")
        .contains("HttpOnly");
    assertThat(s.get("/api/v1/webhooks").status()).isEqualTo(401);
    assertThat(s.get("/api/v1/portal/session").status()).isEqualTo(401);
  }

  @Test
  void sessionsExpireAfterEightHours() {
    PortalSession s = PortalSession.login(api, acc.id());
    clock.advance(Duration.ofHours(8).minusSeconds(1));
    assertThat(s.get("/api/v1/webhooks").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    assertThat(s.get("/api/v1/webhooks").status()).isEqualTo(401);
  }

  @Test
  void aSessionCannotReachAnotherAccount() {
    var other = api.account("Other");
    Http.Reply theirs =
        Http.send(
            "POST",
            api.base() + "/api/v1/webhooks",
            webhook("https://crm.example.com/theirs"),
            "application/json",
            Map.of("Authorization", "Bearer " + other.key()));
    String id = theirs.json().path("id").asText();
    String delivery =
        api.post(
                "/api/v1/events",
                other.key(),
                "{\"type\": \"call.created\", \"data\": {\"client\": {\"name\": \"x\"}}}")
            .json()
            .path("deliveries")
            .get(0)
            .path("id")
            .asText();

    PortalSession mine = PortalSession.login(api, acc.id());
    assertThat(mine.get("/api/v1/webhooks/" + id).status()).isEqualTo(404);
    assertThat(mine.get("/api/v1/webhooks/" + id + "/stats").status()).isEqualTo(404);
    assertThat(
            mine.call("PUT", "/api/v1/webhooks/" + id, webhook("https://e.example.com/"), true)
                .status())
        .isEqualTo(404);
    assertThat(mine.call("POST", "/api/v1/webhooks/" + id + "/preview", "{}", true).status())
        .isEqualTo(404);
    assertThat(mine.call("POST", "/api/v1/webhooks/" + id + "/test", "{}", true).status())
        .isEqualTo(404);
    assertThat(mine.call("DELETE", "/api/v1/webhooks/" + id, null, true).status()).isEqualTo(404);
    assertThat(mine.get("/api/v1/deliveries/" + delivery).status()).isEqualTo(404);
    assertThat(mine.get("/api/v1/deliveries").json().path("items")).isEmpty();
    assertThat(mine.get("/api/v1/webhooks").json().path("items")).isEmpty();
    // Still there for its owner.
    assertThat(api.get("/api/v1/webhooks/" + id, other.key()).status()).isEqualTo(200);
  }

  @Test
  void statsCountTheLastDayByHourWithTheLastDelivery() {
    try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
      receiver.answer(r -> LoopbackReceiver.Reply.status(r.body().contains("bad") ? 400 : 200));
      PortalSession s = PortalSession.login(api, acc.id());
      String id =
          s.call("POST", "/api/v1/webhooks", webhook(receiver.url("/hook")), true)
              .json()
              .path("id")
              .asText();
      JsonNode empty = s.get("/api/v1/webhooks/" + id + "/stats").json();
      assertThat(empty.path("buckets")).hasSize(24);
      assertThat(empty.path("lastDelivery").isNull()).isTrue();

      for (String name : new String[] {"good", "good", "bad"}) {
        api.post(
            "/api/v1/events",
            acc.key(),
            "{\"type\": \"call.created\", \"data\": {\"client\": {\"name\": \"" + name + "\"}}}");
        clock.advance(Duration.ofMillis(5));
      }
      api.runDue();

      JsonNode stats = s.get("/api/v1/webhooks/" + id + "/stats").json();
      assertThat(stats.path("bucketSeconds").asInt()).isEqualTo(3600);
      assertThat(stats.path("to").asText()).isEqualTo("2026-11-29T11:00:00Z");
      assertThat(stats.path("from").asText()).isEqualTo("2026-11-28T11:00:00Z");
      assertThat(stats.path("totals").path("succeeded").asInt()).isEqualTo(2);
      assertThat(stats.path("totals").path("failed").asInt()).isEqualTo(1);
      JsonNode last = stats.path("buckets").get(23);
      assertThat(last.path("start").asText()).isEqualTo("2026-11-29T10:00:00Z");
      assertThat(last.path("succeeded").asInt()).isEqualTo(2);
      assertThat(stats.path("lastDelivery").path("status").asText()).isEqualTo("failed");
      assertThat(stats.path("lastDelivery").path("reason").asText()).isEqualTo("client_error");
      assertThat(stats.path("lastDelivery").path("eventType").asText()).isEqualTo("call.created");

      assertThat(s.get("/api/v1/webhooks/wh_nope/stats").status()).isEqualTo(404);
      assertThat(api.get("/api/v1/webhooks/" + id + "/stats", TestServer.ADMIN).status())
          .isEqualTo(403);
    }
  }
}
